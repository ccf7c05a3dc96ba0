// A stand-in for the browser's WebSocket in session tests (web/room, web/lobby): the test plays the relay —
// opens, sends, closes — and reads what the page sent (parsed). Install with vi.stubGlobal('WebSocket', ...).
export class FakeWebSocket {
  static readonly OPEN = 1;
  static sockets: FakeWebSocket[] = [];
  readyState = 0;
  readonly sent: Record<string, unknown>[] = [];
  private readonly listeners = new Map<string, ((ev: unknown) => void)[]>();
  constructor(readonly url: string) {
    FakeWebSocket.sockets.push(this);
  }
  addEventListener(type: string, fn: (ev: unknown) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(): void {
    this.readyState = 3;
  }
  private emit(type: string, ev: unknown): void {
    for (const fn of this.listeners.get(type) ?? []) fn(ev);
  }
  serverOpens(): void {
    this.readyState = 1;
    this.emit('open', {});
  }
  serverSends(msg: object): void {
    this.emit('message', { data: JSON.stringify(msg) });
  }
  serverCloses(code: number, reason = ''): void {
    this.readyState = 3;
    this.emit('close', { code, reason });
  }
}
