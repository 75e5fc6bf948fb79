// The fake API's image and document blocks, through the real SDK: validation with the API's own error texts,
// token counting by the documented formula, caching, and citations (spec-more §1, §2, §9).
import Anthropic, { BadRequestError } from '@anthropic-ai/sdk';
import * as assert from 'node:assert/strict';
import { reply } from '../../fake-api/server';
import { makeGifHeader, makeJpegHeader, makePdf, makePng, makeWebpHeader } from '../../support/media';
import { MODEL, rejectsWith, sdk, useFakeApi, user } from './helpers';

type ImageType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';
const image = (bytes: Buffer | string, media_type: ImageType = 'image/png', extra: Record<string, unknown> = {}): Anthropic.ImageBlockParam =>
  ({ type: 'image', source: { type: 'base64', media_type, data: typeof bytes === 'string' ? bytes : bytes.toString('base64') }, ...extra }) as Anthropic.ImageBlockParam;
const pdf = (bytes: Buffer, extra: Partial<Anthropic.DocumentBlockParam> = {}): Anthropic.DocumentBlockParam => ({
  type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: bytes.toString('base64') }, ...extra,
});
const text = (t: string): Anthropic.TextBlockParam => ({ type: 'text', text: t });
/** count_tokens of one user message: block overhead 3 per block, 4 per message, ceil(chars/4) per text. */
const overhead = (blocks: number) => blocks * 3 + 4;

describe('fake API: images and documents', () => {
  const api = useFakeApi();
  const count = (content: Anthropic.ContentBlockParam[], model = MODEL) => sdk(api()).messages.countTokens({ model, messages: [user(content)] }).then((r) => r.input_tokens);
  const create = (content: Anthropic.ContentBlockParam[], model = MODEL) => sdk(api()).messages.create({ model, max_tokens: 64, messages: [user(content)] });
  const badRequest = async (content: Anthropic.ContentBlockParam[], model = MODEL) => (await rejectsWith(create(content, model), BadRequestError)).error as { error: { message: string } };

  it('counts images with ceil(w/28)·ceil(h/28) after the tier resize (the docs table), by header, for all four formats', async () => {
    assert.equal(await count([image(makePng(200, 200))]), 64 + overhead(1));
    assert.equal(await count([image(makePng(1000, 1000))]), 1296 + overhead(1));
    // 1920×1080: standard tier (Haiku 4.5) resizes to 1456×819 = 1560; high-resolution (Sonnet 5.5) keeps it, 2691.
    const hd = makeJpegHeader(1920, 1080);
    assert.equal(await count([image(hd, 'image/jpeg')], 'claude-haiku-4-5'), 1560 + overhead(1));
    assert.equal(await count([image(hd, 'image/jpeg')]), 2691 + overhead(1));
    const uhd = makeWebpHeader(3840, 2160);
    assert.equal(await count([image(uhd, 'image/webp')]), 4784 + overhead(1));
    assert.equal(await count([image(uhd, 'image/webp')], 'claude-sonnet-4-6'), 1560 + overhead(1));
    assert.equal(await count([image(makeGifHeader(56, 28), 'image/gif'), text('Hi')]), 2 + 1 + overhead(2));
  });

  it('rejects a wrong media type, empty, invalid base64 and undecodable data with the API\'s texts', async () => {
    let e = await badRequest([image(makePng(10, 10), 'image/bmp' as ImageType)]);
    assert.equal(e.error.message, "messages.0.content.0.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'");
    e = await badRequest([text('see'), image('')]);
    assert.equal(e.error.message, 'messages.0.content.1.image.source.base64: image cannot be empty');
    e = await badRequest([image('data:image/png;base64,iVBORw0KGgo=')]);
    assert.equal(e.error.message, 'messages.0.content.0.image.source.base64: invalid base64 data');
    e = await badRequest([image(Buffer.from('MZ this is a program, not a picture'))]);
    assert.equal(e.error.message, 'Could not process image');
    e = await badRequest([image(makePng(10, 10), 'image/jpeg')]);
    assert.equal(e.error.message, 'messages.0.content.0.image.source.base64: The image was specified using the image/jpeg media type, but the image appears to be a image/png image');
  });

  it('rejects an image over the byte limit (10 MB, or 5 MB as before 2026) and over 8000 px, by the API\'s texts', async () => {
    const padded = Buffer.concat([makePng(10, 10), Buffer.alloc(10 * 1024 * 1024)]);
    let e = await badRequest([image(padded)]);
    assert.equal(e.error.message, `messages.0.content.0.image.source.base64: image exceeds 10 MB maximum: ${padded.length} bytes > 10485760 bytes`);
    api().imageMaxBytes = 5 * 1024 * 1024;
    const five = Buffer.concat([makePng(10, 10), Buffer.alloc(5 * 1024 * 1024)]);
    e = await badRequest([image(five)]);
    assert.equal(e.error.message, `messages.0.content.0.image.source.base64: image exceeds 5 MB maximum: ${five.length} bytes > 5242880 bytes`);
    api().imageMaxBytes = undefined;
    e = await badRequest([image(makePng(8001, 2))]);
    assert.equal(e.error.message, 'At least one of the image dimensions exceed max allowed size: 8000 pixels');
  });

  it('applies the many-image rule (more than 20 images: at most 2000 px), counting images in tool results', async () => {
    const small = image(makePng(30, 30));
    const content = [...Array.from({ length: 20 }, () => small), image(makePng(2001, 10))];
    const e = await badRequest(content);
    assert.equal(e.error.message, 'messages.0.content.20.image.source.base64.data: At least one of the image dimensions exceed max allowed size for many-image requests: 2000 pixels');
    assert.ok(await count(content.slice(0, 20).concat([image(makePng(2000, 10))])) > 0, '2000 px is allowed');
    // Nested in a tool_result, the path says so.
    const client = sdk(api());
    const err = await rejectsWith(client.messages.create({
      model: MODEL, max_tokens: 64,
      messages: [
        user('read it'),
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'a.png' } }] },
        user([{ type: 'tool_result', tool_use_id: 'toolu_1', content: [text('a.png:'), image(makePng(5, 5), 'image/gif')] }]),
      ],
    }), BadRequestError);
    assert.match((err.error as { error: { message: string } }).error.message, /^messages\.2\.content\.0\.tool_result\.content\.1\.image\.source\.base64: The image was specified using the image\/gif media type/);
  });

  it('transformations.oversized_image "error" rejects an image the model would downsize, with the docs\' text', async () => {
    const e = await badRequest([image(makeJpegHeader(1920, 1080), 'image/jpeg', { transformations: { oversized_image: 'error' } })], 'claude-haiku-4-5');
    assert.equal(e.error.message,
      'messages.0.content.0: image dimensions 1920x1080 exceed the maximum image size of a model named on this request and would be downsized to 1456x819; scale the image to at most 1456x819 or set the image\'s oversized_image setting to "downsize"');
  });

  it('takes base64 PDFs: "not valid" when it is none, the page cap per model, citations on all or none, pages counted', async () => {
    let e = await badRequest([pdf(Buffer.from('not a pdf at all'))]);
    assert.equal(e.error.message, 'messages.0.content.0.pdf.source.base64.data: The PDF specified was not valid.');
    e = await badRequest([pdf(makePdf(60)), pdf(makePdf(41))], 'claude-haiku-4-5');
    assert.equal(e.error.message, 'messages.0.content.1.pdf.source.base64.data: A maximum of 100 PDF pages may be provided.');
    assert.ok((await create([pdf(makePdf(60)), pdf(makePdf(41)), text('Compare.')])).id, '1M-context models take 600 pages');
    e = await badRequest([pdf(makePdf(1), { citations: { enabled: true } }), pdf(makePdf(1))]);
    assert.match(e.error.message, /all or none/);
    // 3 pages: 3 × 1500 + ceil(len("Page 1\nPage 2\nPage 3") / 4) = 4500 + 5.
    assert.equal(await count([pdf(makePdf(3))]), 4505 + overhead(1));
  });

  it('count_tokens refuses url and file sources; create takes them', async () => {
    const url: Anthropic.ImageBlockParam = { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } };
    const err = await rejectsWith(count([url]), BadRequestError);
    assert.match((err.error as { error: { message: string } }).error.message, /url or file/);
    assert.ok((await create([url, text('What is it?')])).id);
  });

  it('caches an image like any block: the same request again reads it', async () => {
    const content = [image(makePng(1000, 1000), 'image/png', { cache_control: { type: 'ephemeral' } }), text('Describe.')];
    const client = sdk(api());
    const m1 = await client.messages.create({ model: MODEL, max_tokens: 64, messages: [user(content)] });
    const m2 = await client.messages.create({ model: MODEL, max_tokens: 64, messages: [user(content)] });
    assert.equal(m1.usage.cache_creation_input_tokens, 1296 + 3 + 4);
    assert.equal(m2.usage.cache_read_input_tokens, 1296 + 3 + 4);
    const changed = [image(makePng(1000, 999), 'image/png', { cache_control: { type: 'ephemeral' } }), text('Describe.')];
    const m3 = await client.messages.create({ model: MODEL, max_tokens: 64, messages: [user(changed)] });
    assert.equal(m3.usage.cache_read_input_tokens, 0, 'other bytes, another prefix');
  });

  it('streams cited text as citations_delta; the SDK puts them on the text block; citing what the request lacks is a script error', async () => {
    const client = sdk(api());
    api().queue(reply.cited([['The report says ', undefined], ['revenue grew 12%', { document_index: 0, start_page_number: 2, cited_text: 'Revenue grew by 12 percent.' }], ['.', undefined]]));
    const stream = client.messages.stream({ model: MODEL, max_tokens: 256, messages: [user([pdf(makePdf(3), { title: 'report.pdf', citations: { enabled: true } }), text('Growth?')])] });
    const seen: unknown[] = [];
    stream.on('citation', (c) => seen.push(c));
    const final = await stream.finalMessage();
    assert.equal(seen.length, 1);
    const cited = final.content[1] as Anthropic.TextBlock;
    assert.equal(cited.text, 'revenue grew 12%');
    assert.deepEqual(cited.citations, [{ type: 'page_location', cited_text: 'Revenue grew by 12 percent.', document_index: 0, document_title: 'report.pdf', start_page_number: 2, end_page_number: 3, file_id: null }]);
    api().queue(reply.cited([['x', { document_index: 0, start_page_number: 1, cited_text: 'x' }]]));
    const err = await client.messages.create({ model: MODEL, max_tokens: 64, messages: [user([pdf(makePdf(1)), text('Q')])] }).catch((e: unknown) => e);
    assert.ok(err instanceof Anthropic.InternalServerError);
    assert.match(api().scriptErrors.at(-1) ?? '', /does not have citations enabled/);
  });
});
