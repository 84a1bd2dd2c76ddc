//go:build amd64 && !purego

#include "textflag.h"

// Both functions return the length of the leading whole 64-byte blocks of s whose bytes are all below
// 0x80 (asciiBlocks): they load s[i:i+64] for i < len(s) &^ 63 only, and stop at the first block with
// a high bit set.

// func asciiBlocksAVX2(s []byte) int
TEXT ·asciiBlocksAVX2(SB), NOSPLIT, $0-32
	MOVQ s_base+0(FP), SI
	MOVQ s_len+8(FP), BX
	ANDQ $-64, BX
	JZ   avx2empty
	MOVQ SI, DI
	ADDQ SI, BX

avx2loop:
	VMOVDQU   (SI), Y0
	VPOR      32(SI), Y0, Y0
	VPMOVMSKB Y0, AX
	TESTL     AX, AX
	JNZ       avx2done
	ADDQ      $64, SI
	CMPQ      SI, BX
	JB        avx2loop

avx2done:
	VZEROUPPER
	SUBQ DI, SI
	MOVQ SI, ret+24(FP)
	RET

avx2empty:
	MOVQ $0, ret+24(FP)
	RET

// func asciiBlocksSSE2(s []byte) int
TEXT ·asciiBlocksSSE2(SB), NOSPLIT, $0-32
	MOVQ s_base+0(FP), SI
	MOVQ s_len+8(FP), BX
	ANDQ $-64, BX
	JZ   sse2empty
	MOVQ SI, DI
	ADDQ SI, BX

sse2loop:
	MOVOU    (SI), X0
	MOVOU    16(SI), X1
	MOVOU    32(SI), X2
	MOVOU    48(SI), X3
	POR      X1, X0
	POR      X3, X2
	POR      X2, X0
	PMOVMSKB X0, AX
	TESTL    AX, AX
	JNZ      sse2done
	ADDQ     $64, SI
	CMPQ     SI, BX
	JB       sse2loop

sse2done:
	SUBQ DI, SI
	MOVQ SI, ret+24(FP)
	RET

sse2empty:
	MOVQ $0, ret+24(FP)
	RET
