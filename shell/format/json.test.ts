import { describe, expect, it } from 'vitest';
import { convertToJson } from './json.js';

const nested = { a: { b: { c: { d: 1 } } } };

describe('convertToJson', () => {
  it('indents with two spaces and keeps nulls', () => {
    expect(convertToJson({ Name: 'a', Port: 25, Tags: ['x', 'y'], Owner: null, Gone: undefined })).toBe(`{
  "Name": "a",
  "Port": 25,
  "Tags": [
    "x",
    "y"
  ],
  "Owner": null,
  "Gone": null
}`);
  });

  it('writes one line with -Compress', () => {
    expect(convertToJson({ Name: 'a', Tags: ['x'], Empty: {} }, { compress: true })).toBe(
      '{"Name":"a","Tags":["x"],"Empty":{}}',
    );
  });

  it('replaces objects beyond the default depth of 2 by their short form', () => {
    expect(convertToJson(nested, { compress: true })).toBe('{"a":{"b":{"c":"@{d=1}"}}}');
    expect(convertToJson(nested)).toBe(`{
  "a": {
    "b": {
      "c": "@{d=1}"
    }
  }
}`);
  });

  it('honours an explicit depth', () => {
    expect(convertToJson(nested, { depth: 3, compress: true })).toBe('{"a":{"b":{"c":{"d":1}}}}');
    expect(convertToJson({ a: { b: 1 }, list: [1, 2, 3, 4, 5, 6], n: 1 }, { depth: 0, compress: true })).toBe(
      '{"a":"@{b=1}","list":"{1, 2, 3, 4, 5, 6}","n":1}',
    );
  });

  it('counts arrays as levels too', () => {
    expect(convertToJson([[[[1]]]], { compress: true })).toBe('[[["{1}"]]]');
  });

  it('unwraps a single pipeline object only when asked', () => {
    expect(convertToJson([{ a: 1 }], { compress: true })).toBe('[{"a":1}]');
    expect(convertToJson([{ a: 1 }], { compress: true, unwrapSingle: true })).toBe('{"a":1}');
    expect(convertToJson([1, 2], { compress: true, unwrapSingle: true })).toBe('[1,2]');
  });

  it('writes scalars, undefined and non-finite numbers as valid JSON', () => {
    expect(convertToJson('he said "hi"')).toBe('"he said \\"hi\\""');
    expect(convertToJson(true)).toBe('true');
    expect(convertToJson(undefined)).toBe('null');
    expect(convertToJson([NaN, Infinity], { compress: true })).toBe('["NaN","Infinity"]');
  });

  it('rejects an invalid depth', () => {
    expect(() => convertToJson({}, { depth: -1 })).toThrow(RangeError);
  });
});
