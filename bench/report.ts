// Benchmarks (Node). The output convention every benchmark follows:
//   bench <name>: <value> <unit>
//   target <name>: PASS|FAIL (<measured> vs <target>)

export function figure(name: string, value: number, unit: string): void {
  console.log(`bench ${name}: ${round(value)} ${unit}`);
}

export function target(name: string, pass: boolean, measured: string, wanted: string): boolean {
  console.log(`target ${name}: ${pass ? 'PASS' : 'FAIL'} (${measured} vs ${wanted})`);
  return pass;
}

export function round(v: number): number {
  return v >= 100 ? Math.round(v) : Math.round(v * 100) / 100;
}

/** Runs `op` repeatedly for at least `seconds` after a short warm-up; returns operations per second. */
export async function rate(op: () => Promise<unknown> | unknown, seconds: number): Promise<number> {
  const warmUntil = performance.now() + 300;
  while (performance.now() < warmUntil) await op();
  let n = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    await op();
    n++;
  }
  return n / ((performance.now() - start) / 1000);
}
