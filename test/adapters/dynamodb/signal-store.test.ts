import { signalStoreContract } from '../contracts/signal-store.contract.js';
import { dynaliteBackend } from '../contracts/backends.js';

// The port's contract against dynalite (the same cases run against memory in test/adapters/memory).
signalStoreContract(dynaliteBackend);
