#!/usr/bin/env -S node --import tsx
// The praxis command. Runs the TypeScript sources through tsx (a workspace dependency).
import '../src/main.ts';
