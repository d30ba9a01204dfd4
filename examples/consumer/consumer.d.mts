export interface StartedConsumer {
  url: string;
  /** Each event once (the first verified copy), in arrival order. */
  readonly received: Record<string, unknown>[];
  /** Every verified request, duplicates included, with the status the consumer answered. */
  readonly deliveries: readonly { id: string; status: number }[];
  /** webhook-id → how many times the consumer answered it 2xx. */
  readonly acknowledged: Readonly<Record<string, number>>;
  readonly rejected: number;
  /** Why each rejected request failed verification, in words. */
  readonly rejections: readonly string[];
  close(): Promise<void>;
}
export function startConsumer(options: {
  secret: string;
  port?: number;
  host?: string;
  onEvent?: (envelope: Record<string, unknown>) => void | Promise<void>;
  respond?: (envelope: Record<string, unknown>) => number | undefined;
  /** Told why a request failed verification (it is answered 401 with the same text). */
  onReject?: (reason: string) => void;
}): Promise<StartedConsumer>;
