import { urlWithoutPassword } from './url-without-password';

describe('urlWithoutPassword', () => {
  it('hides the password of a URL and keeps the rest', () => {
    expect(urlWithoutPassword('postgres://iam:s3cret@db.example:5432/iam')).toBe('postgres://iam:***@db.example:5432/iam');
    expect(urlWithoutPassword('nats://127.0.0.1:4222')).toBe('nats://127.0.0.1:4222');
  });

  it('returns a value that is not a URL as it is', () => {
    expect(urlWithoutPassword('not a url')).toBe('not a url');
  });
});
