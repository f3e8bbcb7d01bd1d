const CPU = /^([0-9]+(?:\.[0-9]+)?)(m?)$/;
const MEMORY = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/;
const MEMORY_FACTORS: Record<string, number> = {
  '': 1,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
};

/** CPU quantity in millicores (`250m` → 250, `1` → 1000). @internal */
export function cpuMillis(q: string): number {
  const m = CPU.exec(q);
  if (!m) throw new Error(`Invalid CPU quantity '${q}'`);
  return m[2] ? Number(m[1]) : Number(m[1]) * 1000;
}

/** Memory quantity in bytes. @internal */
export function memoryBytes(q: string): number {
  const m = MEMORY.exec(q);
  if (!m) throw new Error(`Invalid memory quantity '${q}'`);
  return Number(m[1]) * MEMORY_FACTORS[m[2] ?? ''];
}

/** Formats millicores as a quantity. @internal */
export function formatCpu(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${Math.ceil(millis)}m`;
}

/** Formats bytes as a Mi / Gi quantity (rounded up). @internal */
export function formatMemory(bytes: number): string {
  const mi = Math.ceil(bytes / 1024 ** 2);
  return mi % 1024 === 0 ? `${mi / 1024}Gi` : `${mi}Mi`;
}
