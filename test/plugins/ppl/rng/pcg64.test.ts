// PCG64 and SeedSequence against numpy (test/fixtures/gen_rng.py → rng.json): seeding, raw 64-bit
// outputs, random() doubles, the buffered 32-bit stream with its state words, and spawned children.
import { strict as assert } from "node:assert";
import { Pcg64, SeedSequence, pcg64, pcg64StateFrom } from "../../../../plugins/ppl/rng/pcg64.ts";
import { loadFixture } from "../../../helpers.ts";

type Seed = number | number[];
type Pair = [number, number];
interface Fixture {
  streams: {
    seed: Seed;
    state: number[];
    raw: Pair[];
    doubles: number[];
    mixed: { ops: ("u32" | "d" | "raw")[]; values: (number | Pair)[]; state: number[] };
  }[];
  seedSequence: { entropy: Seed; spawnKey: number[]; words: number[] }[];
  spawn: { seed: Seed; children: { state: number[]; raw: Pair[] }[]; grandchild: { path: number[]; state: number[]; raw: Pair[] } }[];
}
const fx = loadFixture<Fixture>("rng.json");

const show = (s: Seed) => JSON.stringify(s);
const raws = (g: Pcg64, n: number): Pair[] => Array.from({ length: n }, () => [...g.nextUint64Parts()] as Pair);

describe("rng/pcg64: numpy's PCG64 and SeedSequence", () => {
  describe("seeding = np.random.default_rng(seed)", () => {
    for (const s of fx.streams) {
      it(`seed ${show(s.seed)}: state words, random_raw(), random()`, () => {
        const st = pcg64.seed(s.seed);
        assert.equal(st.length, pcg64.stateSize);
        assert.deepEqual([...st], s.state);
        assert.deepEqual(raws(pcg64.resume(st) as Pcg64, s.raw.length), s.raw);
        const g = pcg64.resume(st);
        assert.deepEqual(s.doubles.map(() => g.nextDouble()), s.doubles);
      });
    }
    it("an integer above 2^32 seeds like the list of its 32-bit words", () => {
      assert.deepEqual([...pcg64.seed(2 ** 32 + 5)], [...pcg64.seed([5, 1])]);
    });
  });

  describe("buffered nextUint32 (numpy's next_uint32) interleaved with doubles and raw outputs", () => {
    for (const s of fx.streams) {
      it(`seed ${show(s.seed)}: values, then has_uint32/uinteger in the state`, () => {
        const g = pcg64.resume(pcg64.seed(s.seed)) as Pcg64;
        const got = s.mixed.ops.map((op) => (op === "u32" ? g.nextUint32() : op === "d" ? g.nextDouble() : ([...g.nextUint64Parts()] as Pair)));
        assert.deepEqual(got, s.mixed.values);
        assert.deepEqual([...g.state()], s.mixed.state);
      });
    }
    it("state() taken with a buffered half continues the stream exactly", () => {
      const g = pcg64.resume(pcg64.seed(7));
      g.nextUint32();
      const h = pcg64.resume(g.state());
      for (let i = 0; i < 9; i++) assert.equal(h.nextUint32(), g.nextUint32(), `uint32 #${i}`);
      assert.equal(h.nextDouble(), g.nextDouble());
    });
    it("resume() does not modify the given state", () => {
      const st = pcg64.seed(3);
      const copy = Int32Array.from(st);
      pcg64.resume(st).nextDouble();
      assert.deepEqual(st, copy);
    });
  });

  describe("SeedSequence", () => {
    for (const r of fx.seedSequence) {
      it(`generate_state(8) for entropy ${show(r.entropy)}, spawn key ${show(r.spawnKey)}`, () => {
        assert.deepEqual([...new SeedSequence(r.entropy, r.spawnKey).generateState(8)], r.words);
      });
    }
    for (const r of fx.spawn) {
      it(`spawn(3) of ${show(r.seed)} and a grandchild = numpy's children streams`, () => {
        const kids = pcg64.spawn(r.seed, 3);
        kids.forEach((st, i) => {
          assert.deepEqual([...st], r.children[i].state, `child ${i} state`);
          assert.deepEqual(raws(pcg64.resume(st) as Pcg64, 4), r.children[i].raw, `child ${i} outputs`);
        });
        const [a, b] = r.grandchild.path;
        const grand = new SeedSequence(r.seed).spawn(a + 1)[a].spawn(b + 1)[b];
        assert.deepEqual([...pcg64StateFrom(grand)], r.grandchild.state);
      });
    }
    it("spawn continues numbering like numpy (2 then 1 = the third of spawn(3))", () => {
      const ss = new SeedSequence(42);
      ss.spawn(2);
      assert.deepEqual(ss.spawn(1)[0].spawnKey, [2]);
      assert.equal(ss.nChildrenSpawned, 3);
    });
    it("rejects negative, fractional and unsafe integer entropy", () => {
      assert.throws(() => pcg64.seed(-1), /SeedSequence: seed must be a non-negative integer below 2\^53, got -1/);
      assert.throws(() => pcg64.seed([1, 2.5]), /seed\[1\] must be a non-negative integer/);
      assert.throws(() => pcg64.seed(2 ** 53), /below 2\^53/);
    });
  });

  describe("state vector", () => {
    it("has 10 words and rejects a wrong length or an even increment", () => {
      assert.equal(pcg64.stateSize, 10);
      assert.throws(() => pcg64.resume(new Int32Array(8)), /pcg64: a state has 10 int32 words, got 8/);
      assert.throws(() => pcg64.resume(new Int32Array(10)), /increment \(words 4–7\) must be odd/);
    });
    it("nextDouble is (raw >> 11)·2^-53 and lies in [0, 1)", () => {
      const g = pcg64.resume(pcg64.seed(99)) as Pcg64, h = pcg64.resume(pcg64.seed(99));
      for (let i = 0; i < 1000; i++) {
        const [hi, lo] = g.nextUint64Parts();
        const d = h.nextDouble();
        assert.equal(d, (hi * 2 ** 21 + Math.floor(lo / 2 ** 11)) / 2 ** 53);
        assert.ok(d >= 0 && d < 1);
      }
    });
  });
});
