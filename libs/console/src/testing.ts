// Test helpers of @tuneline/console (fake backends for the BFF's specs); not part of the runtime API.
export * from './testing-fakes';
