// Every test must assert something: a test whose checks sit in a callback that never ran, or that
// only "runs without throwing", fails here instead of passing silently.
import { beforeEach, expect } from "vitest";

beforeEach(() => {
  expect.hasAssertions();
});
