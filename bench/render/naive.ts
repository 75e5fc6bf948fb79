// The baseline the renderer is measured against: what Roo/Continue-style renderers do per chunk.
// Every delta re-parses the whole message with markdown-it, sanitizes all of it with DOMPurify and
// replaces the container's content (the sanitized string goes through innerHTML). No highlighting,
// which only flatters the baseline.
import MarkdownIt from 'markdown-it';
import DOMPurify from 'dompurify';

export class NaiveRenderer {
  private source = '';
  private readonly md = new MarkdownIt({ html: false, linkify: true });

  constructor(private readonly container: HTMLElement) {}

  get text(): string {
    return this.source;
  }

  append(delta: string): void {
    this.source += delta;
    this.render();
  }

  flush(): void {
    /* renders synchronously in append() */
  }

  finish(): void {
    this.render();
  }

  private render(): void {
    this.container.innerHTML = DOMPurify.sanitize(this.md.render(this.source));
  }
}
