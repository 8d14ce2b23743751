// The public functions of a package that take an options object, found by the TypeScript
// compiler in its entry point's declarations: the options tests check that each one is
// covered, so a new function (or a new options parameter) cannot skip the unknown-key check.
import ts from 'typescript';

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  skipLibCheck: true,
  noEmit: true,
  types: ['node'],
};

/**
 * An options-like type: an interface or object type literal declared in this repository (not
 * a class, array, function, or a type from TypeScript's or Node's libraries), or a union or
 * intersection holding one.
 */
function isOptionsLike(program: ts.Program, checker: ts.TypeChecker, type: ts.Type): boolean {
  if (type.isUnion() || type.isIntersection()) return type.types.some((t) => isOptionsLike(program, checker, t));
  if (!(type.flags & ts.TypeFlags.Object) || type.getCallSignatures().length > 0) return false;
  if (checker.isArrayType(type) || checker.isTupleType(type)) return false;
  const symbol = type.getSymbol();
  if (symbol === undefined || !(symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeLiteral))) return false;
  return (symbol.declarations ?? []).some((d) => {
    const file = d.getSourceFile();
    return !program.isSourceFileDefaultLibrary(file) && !file.fileName.includes('/node_modules/');
  });
}

function takesOptions(program: ts.Program, checker: ts.TypeChecker, signatures: readonly ts.Signature[]): boolean {
  return signatures.some((s) => s.getParameters().some((p) => isOptionsLike(program, checker, checker.getTypeOfSymbol(p))));
}

function isPublic(member: ts.Symbol): boolean {
  const flags = member.valueDeclaration ? ts.getCombinedModifierFlags(member.valueDeclaration) : ts.ModifierFlags.None;
  return !(flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) && !member.getName().startsWith('#');
}

/**
 * Every exported function, constructor and public method of the module `entry` that has a
 * parameter of an options-like type, named `fn`, `new Class`, `Class.staticMethod` or
 * `Class#method`, sorted.
 */
export function optionTakers(entry: string): string[] {
  const program = ts.createProgram([entry], COMPILER_OPTIONS);
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  const module = source && checker.getSymbolAtLocation(source);
  if (module === undefined) throw new Error(`optionTakers: cannot read the module ${entry}`);
  const found: string[] = [];
  for (const exported of checker.getExportsOfModule(module)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const name = exported.getName();
    if (symbol.flags & ts.SymbolFlags.Function) {
      if (takesOptions(program, checker, checker.getTypeOfSymbol(symbol).getCallSignatures())) found.push(name);
    } else if (symbol.flags & ts.SymbolFlags.Class) {
      const statics = checker.getTypeOfSymbol(symbol);
      if (takesOptions(program, checker, statics.getConstructSignatures())) found.push(`new ${name}`);
      for (const member of statics.getProperties()) {
        if (isPublic(member) && takesOptions(program, checker, checker.getTypeOfSymbol(member).getCallSignatures())) found.push(`${name}.${member.getName()}`);
      }
      for (const member of checker.getDeclaredTypeOfSymbol(symbol).getProperties()) {
        if (isPublic(member) && takesOptions(program, checker, checker.getTypeOfSymbol(member).getCallSignatures())) found.push(`${name}#${member.getName()}`);
      }
    }
  }
  return found.sort();
}
