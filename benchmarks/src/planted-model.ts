// A model with planted structure at any catalogue size, without training: users and items
// belong to clusters, an item's embedding is its cluster's centre plus noise at a random
// scale (so norms differ and inner product is not cosine), biases are small. Written as a
// model file (docs/model-format.md) and loaded with LightFM.fromBuffer, so the index sees a
// model exactly as a trained one is stored.
import { crc32 } from 'node:zlib';
import { LightFM } from '@lightfm-ts/core';

export interface PlantedShape {
  users: number;
  items: number;
  components: number;
  clusters: number;
  seed: number;
}

/** A seeded normal generator (xorshift32 + Box-Muller): the same model on every run. */
function gaussian(seed: number): () => number {
  let s = seed >>> 0 || 1;
  const uniform = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) + 1) / 2 ** 32;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** The model, as a fitted LightFM (adagrad, identity features). */
export function plantedModel(p: PlantedShape): LightFM {
  const d = p.components;
  const blockLen = (d + 2) & ~1;
  const rowFloats = 2 * blockLen;
  const normal = gaussian(p.seed);
  const centres = Float32Array.from({ length: p.clusters * d }, () => normal() / Math.sqrt(d));
  const header = Buffer.from(
    JSON.stringify({
      library: 'lightfm-ts',
      libraryVersion: '0.1.0',
      hyperparameters: {
        noComponents: d, k: 5, n: 10, learningSchedule: 'adagrad', loss: 'warp',
        learningRate: 0.05000000074505806, rho: 0.949999988079071, epsilon: 9.999999974752427e-7,
        itemAlpha: 0, userAlpha: 0, maxSampled: 10, randomState: p.seed,
      },
      epochsDone: 1,
      tables: { dtype: 'f32le', blockLen, blocks: 2, userRows: p.users, itemRows: p.items, userFeatures: 'identity', itemFeatures: 'identity' },
    }),
  );
  const tables = new Float32Array((p.users + p.items) * rowFloats);
  const fill = (row: number, scale: number) => {
    const c = Math.floor(Math.abs(normal() * 1e6)) % p.clusters;
    const at = row * rowFloats;
    for (let j = 0; j < d; j++) tables[at + j] = ((centres[c * d + j] as number) + (0.5 * normal()) / Math.sqrt(d)) * scale;
    tables[at + d] = 0.1 * normal();
    tables.fill(1, at + blockLen, at + blockLen + d + 1); // adagrad accumulators start at 1; padding stays 0
  };
  for (let u = 0; u < p.users; u++) fill(u, 1);
  for (let i = 0; i < p.items; i++) fill(p.users + i, Math.exp(0.25 * normal()));
  const preamble = Buffer.alloc(20);
  preamble.write('LIGHTFM\0', 0, 'latin1');
  preamble.writeUInt32LE(1, 8);
  preamble.writeBigUInt64LE(BigInt(header.length), 12);
  const body = Buffer.concat([preamble, header, Buffer.from(tables.buffer, tables.byteOffset, tables.byteLength)]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32LE(crc32(body) >>> 0);
  return LightFM.fromBuffer(Buffer.concat([body, crc]));
}
