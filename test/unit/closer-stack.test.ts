import { describe, expect, it } from '@jest/globals';
import { CloseError, CloserStack } from '../../src/relay/closer-stack.js';

describe('CloserStack', () => {
  it('stops the parts newest first, waiting for each before the next', async () => {
    const stack = new CloserStack();
    const stopped: string[] = [];
    for (const part of ['store', 'sink', 'worker']) {
      stack.defer(part, async () => {
        await new Promise((resolve) => setImmediate(resolve));
        stopped.push(part);
      });
    }
    expect(stack.parts).toEqual(['store', 'sink', 'worker']);
    await stack.unwind();
    expect(stopped).toEqual(['worker', 'sink', 'store']);
    expect(stack.parts).toEqual([]);
  });

  it('goes on past failing stops and reports every one of them, by part', async () => {
    const stack = new CloserStack();
    const stopped: string[] = [];
    stack.defer('store', () => stopped.push('store'));
    stack.defer('redis sink', () => {
      throw new Error('connection reset');
    });
    stack.defer('worker', () => stopped.push('worker'));
    stack.defer('server', () => Promise.reject(new Error('close timed out')));

    const failure = await stack.unwind().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(CloseError);
    const { failures, message } = failure as CloseError;
    expect(failures.map(({ part }) => part)).toEqual(['server', 'redis sink']);
    expect(message).toBe('stopping failed for server (close timed out), redis sink (connection reset)');
    expect(stopped).toEqual(['worker', 'store']);
  });

  it('stops each part once however often it is unwound, and takes no new part while stopping', async () => {
    const stack = new CloserStack();
    let stops = 0;
    stack.defer('store', () => void stops++);
    expect(stack.stopping).toBe(false);
    const first = stack.unwind();
    expect(stack.stopping).toBe(true);
    expect(stack.unwind()).toBe(first);
    await first;
    await stack.unwind();
    expect(stops).toBe(1);
    expect(() => stack.defer('late sink', () => undefined)).toThrow(
      'cannot add late sink: the relay is already stopping',
    );
  });

  it('an empty stack unwinds at once', async () => {
    await expect(new CloserStack().unwind()).resolves.toBeUndefined();
  });
});
