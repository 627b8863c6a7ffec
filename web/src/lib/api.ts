// Calls the reelgen API with the key kept in the browser's storage (never in a URL). Every
// failure becomes an ApiError carrying the RFC 9457 problem: its detail and the fields it names.

export interface FieldProblem {
  field: string;
  rule: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldProblem[];
}

export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail);
    this.problem = problem;
  }
  get status(): number {
    return this.problem.status;
  }
  // The message for one field, matching "field", "requests[3].field" or "video.field".
  fieldMessage(field: string): string | undefined {
    return this.problem.errors?.find((e) => e.field === field || e.field.endsWith('.' + field))
      ?.message;
  }
}

const KEY_STORAGE = 'reelgen.key';

export function storedKey(storage: Pick<Storage, 'getItem'> = localStorage): string {
  return storage.getItem(KEY_STORAGE) ?? '';
}

export function storeKey(key: string, storage: Pick<Storage, 'setItem' | 'removeItem'> = localStorage) {
  if (key) storage.setItem(KEY_STORAGE, key);
  else storage.removeItem(KEY_STORAGE);
}

// A problem from any answer that is not 2xx: the server's problem+json, or one made up from the
// status when the body is something else (a proxy's page, a dropped connection).
export async function problemOf(res: Response): Promise<Problem> {
  const text = await res.text();
  try {
    const doc = JSON.parse(text);
    if (doc && typeof doc === 'object' && typeof doc.detail === 'string') {
      return { ...doc, status: doc.status ?? res.status } as Problem;
    }
  } catch {
    // not JSON: described below
  }
  return { status: res.status, title: res.statusText, detail: `HTTP ${res.status} ${res.statusText}`.trim() };
}

export interface CallOptions {
  key?: string;
  headers?: Record<string, string>;
  fetcher?: typeof fetch;
}

export async function call<T>(
  method: string,
  path: string,
  body?: unknown,
  options: CallOptions = {},
): Promise<T> {
  const key = options.key ?? storedKey();
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (key) headers.Authorization = `Bearer ${key}`;
  let payload: BodyInit | undefined;
  if (body instanceof Blob) {
    payload = body;
    headers['Content-Type'] = body.type || 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  let res: Response;
  try {
    res = await (options.fetcher ?? fetch)(path, { method, headers, body: payload });
  } catch (e) {
    throw new ApiError({ status: 0, title: 'Network error', detail: `the server did not answer: ${String(e)}` });
  }
  if (!res.ok) throw new ApiError(await problemOf(res));
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export function errorProblem(e: unknown): Problem {
  if (e instanceof ApiError) return e.problem;
  return { status: 0, title: 'Error', detail: e instanceof Error ? e.message : String(e) };
}
