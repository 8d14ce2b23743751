// The contract under hostile use (issue 20): all-or-nothing fits, no model changes from
// callbacks, absurd sizes as typed errors, and shutdown that cancels running work.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CooMatrix, CsrMatrix, LightFM, LightFMError } from '../src/index.js';
import { clustered } from './helpers.js';
import { errorCode, rejectedCode } from './errors.js';

const small = clustered(300, 400, 20, 5);

/** Everything a model holds that a fit changes, as bytes. */
function snapshot(m: LightFM): string {
  const side = (s: 'user' | 'item') => {
    const st = m.getState(s);
    return [st.embeddings, st.biases, st.embeddingGradients, st.biasGradients, st.embeddingMomentum, st.biasMomentum]
      .map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64'))
      .join();
  };
  return [side('user'), side('item'), m.toBuffer().toString('base64')].join('|');
}

async function trained(): Promise<LightFM> {
  return new LightFM({ loss: 'warp', noComponents: 16, randomState: 3 }).fit(small, { epochs: 2 });
}

describe('a fit that does not finish leaves the model bit-identical to before the call', () => {
  const failures: [string, (m: LightFM) => Promise<unknown>][] = [
    ['fitPartial aborted by its signal mid-epoch', (m) => {
      const c = new AbortController();
      setTimeout(() => c.abort(), 5);
      return m.fitPartial(small, { epochs: 100_000, signal: c.signal });
    }],
    ['fit aborted by its signal', (m) => {
      const c = new AbortController();
      setTimeout(() => c.abort(), 5);
      return m.fit(small, { epochs: 10_000, signal: c.signal });
    }],
    ['fitPartial whose onEpoch throws', (m) =>
      m.fitPartial(small, { epochs: 5, onEpoch: (e) => {
        if (e.epoch === 2) throw new Error('stop');
      } })],
    ['fitPartialSync whose onEpoch throws', async (m) =>
      m.fitPartialSync(small, { epochs: 5, onEpoch: (e) => {
        if (e.epoch === 3) throw new Error('stop');
      } })],
  ];
  for (const [name, fail] of failures) {
    it(name, async () => {
      const model = await trained();
      const before = snapshot(model);
      await expect(fail(model)).rejects.toBeInstanceOf(Error);
      expect(snapshot(model)).toBe(before);
      // Continuing gives what an uninterrupted model gives: no random stream is replayed.
      const reference = await trained();
      await reference.fitPartial(small, { epochs: 1 });
      await model.fitPartial(small, { epochs: 1 });
      expect(snapshot(model)).toBe(snapshot(reference));
    });
  }

  it('an aborted fit says so with ERR_ABORTED and AbortError', async () => {
    const model = await trained();
    const c = new AbortController();
    const run = model.fitPartial(small, { epochs: 100_000, signal: c.signal });
    setTimeout(() => c.abort(new Error('enough')), 5);
    const err = await run.catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ERR_ABORTED', name: 'AbortError' });
    expect((err as Error).message).toMatch(/as it was before/);
  });
});

describe('callbacks cannot change the model being fitted', () => {
  for (const change of [
    (m: LightFM) => m.setParams({ noComponents: 4 }),
    (m: LightFM) => m.resize({ itemFeatures: 500 }),
    (m: LightFM) => m.fitSync(small),
  ]) {
    it(`${change.toString()} from onEpoch is ERR_BUSY, for fit and fitSync`, async () => {
      for (const sync of [false, true]) {
        const model = await trained();
        let code: string | undefined;
        const onEpoch = () => {
          code ??= errorCode(() => change(model));
        };
        if (sync) model.fitPartialSync(small, { epochs: 2, onEpoch });
        else await model.fitPartial(small, { epochs: 2, onEpoch });
        expect(code).toBe('ERR_BUSY');
        expect(model.isFitted).toBe(true);
        expect(model.getParams().noComponents).toBe(16);
      }
    });
  }
});

describe('arguments of fit', () => {
  it.each([
    ['null options', (m: LightFM) => m.fit(small, null as never)],
    ['a signal that is not an AbortSignal', (m: LightFM) => m.fit(small, { signal: {} as AbortSignal })],
    ['string sample weights', (m: LightFM) => m.fit(small, { sampleWeight: Array.from({ length: small.nnz }, () => '1') as never })],
    ['null options (sync)', (m: LightFM) => m.fitSync(small, null as never)],
  ])('%s is ERR_INVALID_ARG', async (_, f) => {
    expect(await rejectedCode(() => f(new LightFM()))).toBe('ERR_INVALID_ARG');
  });

  it('fitSync honours an already-aborted signal', () => {
    const c = new AbortController();
    c.abort();
    const model = new LightFM();
    expect(errorCode(() => model.fitSync(small, { signal: c.signal }))).toBe('ERR_ABORTED');
    expect(model.isFitted).toBe(false);
  });

  it('a float option beyond float32 says what was given', () => {
    const err = (() => {
      try {
        new LightFM({ learningRate: 1e308 });
      } catch (e) {
        return e as LightFMError;
      }
    })();
    expect(err).toMatchObject({ code: 'ERR_INVALID_ARG' });
    expect(err?.message).toMatch(/learningRate.*1e308/);
  });
});

describe('sizes no memory could hold are typed errors, not aborts', () => {
  it.each([
    ['a shape of raw database ids', async () => new LightFM().fit(CooMatrix.fromTriplets([0], [0], [1], [2 ** 31 - 1, 5]))],
    ['items of raw database ids', async () => new LightFM().fit(CooMatrix.fromTriplets([0], [0], [1], [5, 2 ** 31 - 1]))],
    ['resize to a billion item features', async () => (await trained()).resize({ itemFeatures: 2 ** 31 - 2 })],
    ['a wide model resized past memory', async () => {
      const m = await new LightFM({ noComponents: 512 }).fit(small);
      m.resize({ itemFeatures: 100_000_000 });
    }],
    ['identity features for raw database ids', async () => CsrMatrix.identity(2 ** 31 - 1)],
    ['a dense copy of a huge shape', async () => CooMatrix.fromTriplets([0], [0], [1], [2 ** 31 - 1, 2 ** 31 - 1]).toDense()],
    ['a dense copy with billions of rows', async () => CooMatrix.fromTriplets([0], [0], [1], [2 ** 31 - 1, 1]).toDense()],
    ['a dense CSR copy of a huge shape', async () => new CsrMatrix(new Int32Array(5), new Int32Array(0), new Float32Array(0), [4, 2 ** 31 - 1]).toDense().length],
  ])('%s', async (_, f) => {
    expect(await rejectedCode(f)).toBe('ERR_OUT_OF_MEMORY');
  });

  it('a failed resize keeps the model', async () => {
    const m = await trained();
    const before = snapshot(m);
    expect(errorCode(() => m.resize({ userFeatures: 2 ** 31 - 2 }))).toBe('ERR_OUT_OF_MEMORY');
    expect(snapshot(m)).toBe(before);
  });

  it('k beyond the catalogue returns rows as wide as the catalogue', async () => {
    const m = await trained();
    const top = m.recommend([0, 1], { k: 2 ** 31 - 1 });
    expect(top.k).toBe(400);
    expect(top.items.length).toBe(800);
  });
});

describe('shutdown cancels a running fit', () => {
  const script = fileURLToPath(new URL('./fixtures/shutdown.mjs', import.meta.url));
  it.each(['exit', 'terminate', 'exit-in-worker'])('%s during a long fit returns at once', (how) => {
    const start = Date.now();
    const r = spawnSync(process.execPath, [script, how], { encoding: 'utf8', timeout: 60_000 });
    const seconds = (Date.now() - start) / 1000;
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('training started');
    expect(r.stdout).not.toContain('fit finished');
    // The fit alone takes minutes; the shutdown must not wait for it.
    expect(seconds).toBeLessThan(20);
  });
});
