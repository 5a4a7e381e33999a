import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { REDACTED, Redactor } from './redact';

const SECRET = 'tok_A1b2/C3 d4+e5?f6';

describe('Redactor', () => {
  const redactor = new Redactor([SECRET, `Bearer ${SECRET}`]);

  it('finds the secret as is and in every encoding a URL, a form or JSON gives it', () => {
    const spelled = [
      SECRET,
      encodeURIComponent(SECRET),
      encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
      SECRET.toLowerCase(),
      encodeURI(SECRET),
      new URLSearchParams({ q: SECRET }).toString().slice(2),
      new URL(`https://example.com/hooks/${SECRET}`).pathname.slice('/hooks/'.length),
      JSON.stringify(SECRET).slice(1, -1),
    ];
    for (const form of spelled) {
      const text = `before ${form} after`;
      expect(redactor.text(text)).toBe(`before ${REDACTED} after`);
      expect(redactor.contains(text)).toBe(true);
    }
    expect(redactor.text(`Authorization: Bearer ${SECRET}`)).toBe(`Authorization: ${REDACTED}`);
    expect(redactor.contains('nothing here')).toBe(false);
  });

  it('hides every part of a secret URL: host, path and query alone', () => {
    const url = 'https://hooks.example.com/services/T000/B000/XXXXSECRET?token=abcdef';
    const byUrl = new Redactor([url]);
    const message = byUrl.text(`GET https://hooks.example.com/services/T000/B000/XXXXSECRET failed`);
    expect(message).toMatch(/^GET .*\[redacted\].* failed$/);
    expect(message).not.toMatch(/hooks|T000|XXXXSECRET/);
    expect(byUrl.text('POST /services/T000/B000/XXXXSECRET')).toBe(`POST ${REDACTED}`);
    expect(byUrl.text('getaddrinfo ENOTFOUND hooks.example.com')).toBe(`getaddrinfo ENOTFOUND ${REDACTED}`);
    expect(byUrl.text('query was token=abcdef')).toBe(`query was ${REDACTED}`);
  });

  it('redacts strings and keys inside responses, leaving other values alone', () => {
    expect(
      redactor.value({ headers: { 'x-echo': SECRET }, body: { [SECRET]: [1, `x${SECRET}x`, true, null] } }),
    ).toEqual({ headers: { 'x-echo': REDACTED }, body: { [REDACTED]: [1, `x${REDACTED}x`, true, null] } });
  });

  it('finds a secret with characters JSON escapes, deep in an answer; leaves an answer without one as it is', () => {
    const quoted = new Redactor(['pa"ss\\word\u0001']);
    expect(quoted.value({ a: [{ b: 'x pa"ss\\word\u0001 y' }] })).toEqual({ a: [{ b: `x ${REDACTED} y` }] });
    const clean = { body: { items: ['nothing', 'secret-free'] } };
    expect(redactor.value(clean)).toBe(clean);
  });

  it('redacts a failure whole: message, stack, details and cause, keeping type and retry decision', () => {
    const cause = ApplicationFailure.nonRetryable(`inner ${SECRET}`, 'Inner');
    const failure = ApplicationFailure.create({
      type: 'HttpStepError',
      message: `GET /${SECRET} answered 500`,
      nonRetryable: false,
      details: [{ status: 500, body: `echo ${SECRET}` }],
      nextRetryDelay: 2_000,
      cause,
    });
    const redacted = redactor.error(failure) as ApplicationFailure;
    expect(redacted).toBeInstanceOf(ApplicationFailure);
    expect(redacted).toMatchObject({
      type: 'HttpStepError',
      nonRetryable: false,
      nextRetryDelay: 2_000,
      message: `GET /${REDACTED} answered 500`,
      details: [{ status: 500, body: `echo ${REDACTED}` }],
    });
    expect(redacted.stack).not.toContain(SECRET);
    expect(redacted.stack).toContain(`GET /${REDACTED} answered 500`);
    expect((redacted.cause as ApplicationFailure).message).toBe(`inner ${REDACTED}`);

    const plain = redactor.error(new TypeError(`bad ${SECRET}`)) as ApplicationFailure;
    expect(plain).toMatchObject({ type: 'TypeError', nonRetryable: false, message: `bad ${REDACTED}` });
    expect(plain.stack).not.toContain(SECRET);

    const cancelled = new CancelledFailure('CANCELLED');
    expect(redactor.error(cancelled)).toBe(cancelled);
  });

  it('changes nothing when the request used no secret', () => {
    const none = new Redactor([]);
    expect(none.empty).toBe(true);
    expect(none.text('anything')).toBe('anything');
    const value = { a: 'b' };
    expect(none.value(value)).toBe(value);
  });
});
