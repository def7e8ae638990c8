import { describe, expect, it } from 'vitest';
import { call } from './call.js';

describe('providers.aws.sign_req (OPA conformance: providers-aws)', () => {
  const config = { aws_access_key: 'MYAWSACCESSKEYGOESHERE', aws_secret_access_key: 'MYAWSSECRETACCESSKEYGOESHERE', aws_service: 's3', aws_region: 'us-east-1' };
  const t = 1451311705000000000;

  it('signs a request without a body', () => {
    expect(call('providers.aws.sign_req', { method: 'get', url: 'http://example.com' }, config, t)).toEqual({
      headers: {
        Authorization:
          'AWS4-HMAC-SHA256 Credential=MYAWSACCESSKEYGOESHERE/20151228/us-east-1/s3/aws4_request,SignedHeaders=host;x-amz-content-sha256;x-amz-date,Signature=0047a7016c81e5c7f29cd522f97e911e04fc472fced0aee7916cbc287ad6c8e3',
        host: 'example.com',
        'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        'x-amz-date': '20151228T140825Z',
      },
      method: 'get',
      url: 'http://example.com',
    });
  });

  it('signs headers, session tokens, raw bodies and unsigned payloads', () => {
    const sig = (req: object, cfg: object = config): string =>
      ((call('providers.aws.sign_req', req, cfg, t) as { headers: { Authorization: string } }).headers.Authorization.split('Signature=')[1]);
    expect(sig({ method: 'get', url: 'http://example.com', headers: { foo: 'bar' } })).toBe('8f1dc7c9b9978356a0d0989fd26a95307f4f8a4aa264d8220647b7097d839952');
    expect(sig({ method: 'get', url: 'http://example.com' }, { ...config, aws_session_token: 'MYAWSSECURITYTOKENGOESHERE' })).toBe(
      '23c31bda8a74630c0a94f6b82a3511e7e74728df98e6f54ed0840488dbbdc8d1',
    );
    expect(sig({ method: 'get', url: 'http://example.com', raw_body: '{"example": {1, 2, 3, 4}}' })).toBe('5bf26e169cb8b02330dba39d53932532438fc856c2f10537689a09ed807c7195');
    expect(sig({ method: 'get', url: 'https://example.com', headers: { foo: 'bar' } }, { ...config, disable_payload_signing: true })).toBe(
      'c6e6db654e92172f71e18c714c123711de069ac6fd7df1348e5b28fd05532028',
    );
    expect(sig({ method: 'get', url: 'https://example.com', headers: { foo: 'bar' }, body: { example: [1, 2, 3, 4] } })).toBe(
      'f6703a8727ec0a32f81b225a002f622e511e8a7d2ca8914894fcbb7a71d8d9d8',
    );
  });

  it('signs an existing x-amz-content-sha256 header along with the computed one', () => {
    const req = { method: 'get', url: 'https://example.com', headers: { foo: 'bar', 'x-amz-content-sha256': 'existing-value' }, body: { example: [1, 2, 3, 4] } };
    const signed = call('providers.aws.sign_req', req, config, t) as { headers: Record<string, string> };
    expect(signed.headers.Authorization.split('Signature=')[1]).toBe('42bcac7fc6d170e09be72fdf38b62e59361265bc59d5f9156f0d6faf889e98ba');
    expect(signed.headers['x-amz-content-sha256']).toBe('bacff6243c850423883052ac3c336fd645994442933408dfd3f9e858e69bda07');
    const unsigned = call('providers.aws.sign_req', req, { ...config, disable_payload_signing: true }, t) as { headers: Record<string, string> };
    expect(unsigned.headers.Authorization.split('Signature=')[1]).toBe('edcd3ca3fd3acdfbcecad1a1d8062dbc6562d90352e294c336f9727397f9c383');
  });

  it('reports OPA type errors', () => {
    expect(() => call('providers.aws.sign_req', {}, config, t)).toThrow('operand 1 missing required request parameters(s): {"method", "url"}');
    expect(() => call('providers.aws.sign_req', { method: 'get', url: 'http://example.com' }, { example: 'example' }, t)).toThrow(
      'operand 2 missing required AWS config parameters(s): {"aws_access_key", "aws_region", "aws_secret_access_key", "aws_service"}',
    );
    expect(() => call('providers.aws.sign_req', { method: 'get', url: 'http://example.com' }, config, -1e9)).toThrow(
      'operand 3 could not convert time_ns value into a unix timestamp',
    );
  });
});
