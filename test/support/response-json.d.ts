// Tests read API answers loosely and assert on them; production code parses with zod instead.
declare global {
  interface Response {
    json(): Promise<any>;
  }
}
export {};
