/** What the router gives every page (router.ts): the hash's parameters and a way to go elsewhere. */
export interface PageProps {
  params: Record<string, string>;
  navigate: (hash: string) => void;
}
