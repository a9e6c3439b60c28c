/**
 * tfjs-core's gradients. Its Node build registers none, so the library registers tfjs's stock
 * gradient configs (register_all_gradients) for every kernel, except where one was registered
 * before it loaded: those stay as they were (./gradients/before.ts). Import order matters:
 * ./gradients/before.ts is evaluated first.
 */
import { keepEarlierGradients } from './gradients/before';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';

keepEarlierGradients();
