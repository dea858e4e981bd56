// Everything of k8s_metadata that needs @kubernetes/client-node, loaded by main.ts only
// when the processor starts. Loaded at startup by every agent, the client (about 2,900 modules, 27 MB
// of source text) made the main thread's live heap 73 MB instead of about 25, and each major GC
// marked all of it (1000 files appended once a second, bench/filelog-idle.bench.ts).
export { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
export { kubeAccess } from './kube-access.ts';
export { ResourceWatch } from './resource-watch.ts';
