export interface StartedConsumer {
  url: string;
  readonly received: Record<string, unknown>[];
  readonly rejected: number;
  close(): Promise<void>;
}
export function startConsumer(options: {
  secret: string;
  port?: number;
  host?: string;
  onEvent?: (envelope: Record<string, unknown>) => void | Promise<void>;
  respond?: (envelope: Record<string, unknown>) => number | undefined;
}): Promise<StartedConsumer>;
