import { detectKind, extractText, htmlToText } from '../../../shared/rag/extract';
import { failureReason } from '../../../shared/rag/ingest';
import { corruptPdf, makePdf } from '../../fixtures/rag/pdf';

test('file kinds come from the content type, else the extension', () => {
  expect(detectKind('application/pdf', 'x')).toBe('pdf');
  expect(detectKind('application/octet-stream', 'a.PDF')).toBe('pdf');
  expect(detectKind('text/html; charset=utf-8', 'x')).toBe('html');
  expect(detectKind(undefined, 'README.md')).toBe('markdown');
  expect(detectKind('application/octet-stream', 'main.go')).toBe('code');
  expect(detectKind('application/json', 'x')).toBe('json');
  expect(detectKind('text/plain', 'x')).toBe('text');
  expect(detectKind('image/png', 'x.png')).toBeUndefined();
});

test('PDF text is extracted; corrupt and empty files fail with a readable reason', async () => {
  await expect(extractText(makePdf(['Hello PDF world.']), 'pdf')).resolves.toBe('Hello PDF world.');
  await expect(extractText(corruptPdf(), 'pdf')).rejects.toMatchObject({
    name: 'ExtractionFailed',
    message: expect.stringMatching(/not a readable PDF/),
  });
  await expect(extractText(makePdf([]), 'pdf')).rejects.toMatchObject({
    name: 'ExtractionFailed',
    message: expect.stringMatching(/no extractable text/),
  });
});

test('text must be UTF-8 and not binary; JSON must parse', async () => {
  await expect(extractText(Buffer.from([0x68, 0x00, 0x69]), 'text')).rejects.toMatchObject({
    message: expect.stringMatching(/binary/),
  });
  await expect(extractText(Buffer.from([0xff, 0xfe, 0x41]), 'code')).rejects.toMatchObject({
    message: expect.stringMatching(/UTF-8/),
  });
  await expect(extractText(Buffer.from('{"a":'), 'json')).rejects.toMatchObject({
    message: expect.stringMatching(/not valid JSON/),
  });
  await expect(extractText(Buffer.from('{"a":[1,2]}'), 'json')).resolves.toBe(
    '{\n  "a": [\n    1,\n    2\n  ]\n}',
  );
});

test('HTML keeps headings, paragraphs and code, and drops scripts', () => {
  const text = htmlToText(
    '<html><head><title>t</title><script>alert(1)</script></head><body><h2>Setup</h2><p>Use &lt;b&gt; &amp; go.</p><pre>npm ci</pre></body></html>',
  );
  expect(text.trim()).toBe('## Setup\n\nUse <b> & go.\n\n```\nnpm ci\n```');
});

test('failure reasons read the Lambda Cause JSON and keep the error name', () => {
  expect(
    failureReason({
      Error: 'ExtractionFailed',
      Cause: JSON.stringify({
        errorType: 'ExtractionFailed',
        errorMessage: 'the PDF is encrypted',
      }),
    }),
  ).toBe('the PDF is encrypted');
  expect(failureReason({ Error: 'ProviderThrottled', Cause: 'slow down' })).toBe(
    'ProviderThrottled: slow down',
  );
});
