/* The blocked product of gemm.c, for other kernels of this module (lstm.c). */
#ifndef TSLAB_XAI_GEMM_H
#define TSLAB_XAI_GEMM_H
void gemm_acc(const float* A, const float* B, float* C, int M, int N, int K, int ars, int acs, int brs, int bcs, float* pack, int acc);
#endif
