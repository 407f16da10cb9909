import { z } from 'zod';
import { ERRORS } from './errors.js';
import type { MethodSpec } from './method.js';
import { METHODS } from './methods/index.js';
import { PROTOCOL_VERSION } from './version.js';

type JsonSchema = Record<string, unknown>;

function toSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'draft-07', io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function methodObject(spec: MethodSpec) {
  const paramsSchema = toSchema(spec.params, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  const required = new Set(paramsSchema.required ?? []);
  const params = Object.entries(paramsSchema.properties ?? {})
    .map(([name, schema]) => ({
      name,
      required: required.has(name),
      ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
      schema,
    }))
    // OpenRPC asks for required parameters first.
    .sort((a, b) => Number(b.required) - Number(a.required));
  return {
    name: spec.name,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    paramStructure: 'by-name',
    params,
    result: { name: 'result', schema: toSchema(spec.result, 'output') },
    errors: (spec.errors ?? []).map((name) => ({ code: ERRORS[name].code, message: ERRORS[name].message })),
    examples: spec.examples.map((example) => ({
      name: example.name,
      params: Object.entries(example.params as Record<string, unknown>).map(([name, value]) => ({ name, value })),
      result: { name: 'result', value: example.result },
    })),
    'x-access': spec.access,
    'x-cmdlet': spec.cmdlet.name,
  };
}

/** The OpenRPC document `rpc.discover` returns, derived from the method table. */
export function openRpcDocument(version: string) {
  return {
    openrpc: '1.2.6',
    info: {
      title: 'herald',
      version,
      description: `herald daemon JSON-RPC API, protocol ${PROTOCOL_VERSION}. Methods marked x-access "write" need an Administrator token.`,
    },
    methods: Object.values(METHODS).map((spec) => methodObject(spec as unknown as MethodSpec)),
    components: {
      errors: Object.fromEntries(Object.entries(ERRORS).map(([name, { code, message }]) => [name, { code, message }])),
    },
  };
}
