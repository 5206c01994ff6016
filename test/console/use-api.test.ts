import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ApiState, useApi } from '../../src/console/app/use-api.js';

/**
 * The hook runs in a component that renders nothing, so preact needs no DOM: a bare container will do.
 * Each load waits for the test to answer it.
 */
const container = { firstChild: null, childNodes: [], namespaceURI: null } as unknown as HTMLElement;
// render() compares its container with `document`, which Node does not have.
beforeAll(() => {
  vi.stubGlobal('document', {});
});
afterEach(() => act(() => render(null, container)));

function harness() {
  const loads: { key: string; signal: AbortSignal; answer: (v: string) => void; fail: (e: Error) => void }[] = [];
  const seen: ApiState<string>[] = [];
  function Probe({ id }: { id: string }) {
    seen.push(
      useApi(
        (signal) =>
          new Promise<string>((answer, fail) => {
            loads.push({ key: id, signal, answer, fail });
          }),
        [id],
      ),
    );
    return null;
  }
  const show = (id: string) => act(() => render(h(Probe, { id }), container));
  const last = () => seen[seen.length - 1]!;
  return { loads, show, last };
}

describe('useApi', () => {
  it('shows the newest answer only: an older answer that arrives last is ignored, and its request aborted', async () => {
    const { loads, show, last } = harness();
    show('alder');
    show('birch');
    expect(loads.map((l) => l.key)).toEqual(['alder', 'birch']);
    expect(loads[0]!.signal.aborted).toBe(true);
    await act(async () => loads[1]!.answer('Birch Ltd'));
    await act(async () => loads[0]!.answer('Alder Inc'));
    expect(last()).toMatchObject({ data: 'Birch Ltd', loading: false, error: '' });
  });

  it("ignores a superseded load's failure too", async () => {
    const { loads, show, last } = harness();
    show('alder');
    show('birch');
    await act(async () => loads[1]!.answer('Birch Ltd'));
    await act(async () => loads[0]!.fail(new Error('HTTP 500')));
    expect(last()).toMatchObject({ data: 'Birch Ltd', error: '' });
  });

  it('says loading, then the data or the error in words; reload keeps the data while it runs', async () => {
    const { loads, show, last } = harness();
    show('alder');
    expect(last()).toMatchObject({ data: undefined, loading: true });
    await act(async () => loads[0]!.answer('Alder Inc'));
    expect(last()).toMatchObject({ data: 'Alder Inc', loading: false });
    let reloaded: Promise<void> | undefined;
    await act(async () => {
      reloaded = last().reload();
    });
    expect(last()).toMatchObject({ data: 'Alder Inc', loading: true });
    await act(async () => loads[1]!.fail(new Error('No such customer.')));
    await reloaded;
    expect(last()).toMatchObject({ data: 'Alder Inc', loading: false, error: 'No such customer.' });
  });

  it('drops an answer that arrives after the component is gone', async () => {
    const { loads, show, last } = harness();
    show('alder');
    const before = last();
    await act(() => render(null, container));
    expect(loads[0]!.signal.aborted).toBe(true);
    await act(async () => loads[0]!.answer('Alder Inc'));
    expect(last()).toBe(before);
  });
});
