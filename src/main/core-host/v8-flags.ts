// Core host (Node and Electron alike). The V8 flags the core host process runs with.
//
// Why a smaller young generation: the core host makes long, allocation-heavy runs (a batch of a
// thousand applications read, checked, signed and packed one at a time), and under such a run V8
// grows its semi-spaces towards 16 MB each; the process's peak then follows its garbage rather than
// what it holds (a forced GC after each application keeps 1,000 within 8 MB of 100). Measured with
// `npm run bench` (filing-memory, peak RSS of the same batch work for 100 and for 1,000
// applications, medians of three fresh processes each): default semi-spaces 105 → 141 MB (+36 MB);
// 4 MB semi-spaces 99 → 119 MB (+20 MB), the throughput figure unchanged within its noise. A
// desktop's background process is better lean than a few percent faster in a rare long batch.
export const CORE_HOST_V8_FLAGS: readonly string[] = Object.freeze(['--max-semi-space-size=4']);
