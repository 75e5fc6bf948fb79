// Interim renderer (plain text, always safe) until the markdown renderer lands. Same API as render/MessageRenderer.
export class PlainRenderer {
  private source = '';
  private readonly pre: HTMLElement;
  constructor(container: HTMLElement) {
    this.pre = document.createElement('div');
    this.pre.className = 'plain-text';
    container.append(this.pre);
  }
  get text(): string {
    return this.source;
  }
  append(delta: string): void {
    this.source += delta;
    this.pre.textContent = this.source;
  }
  flush(): void {}
  finish(): void {}
  setText(full: string): void {
    this.source = full;
    this.pre.textContent = full;
  }
  dispose(): void {
    this.pre.remove();
  }
}
