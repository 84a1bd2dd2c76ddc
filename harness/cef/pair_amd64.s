//go:build amd64 && !purego

#include "textflag.h"

// Both functions examine the positions i < (len(s)-1) &^ 63 (pairBlocks), 64 per iteration, for
// s[i] == a && s[i+1] == b, and return the first such i or -1. The last load ends at s[(len(s)-1) &^ 63],
// inside s.

// func indexPairAVX2(s []byte, a, b byte) int
TEXT ·indexPairAVX2(SB), NOSPLIT, $0-40
	MOVQ s_base+0(FP), SI
	MOVQ s_len+8(FP), BX
	DECQ BX
	JLE  avx2none
	ANDQ $-64, BX
	JZ   avx2none
	MOVQ SI, DI
	ADDQ SI, BX

	// Y0 = a in every byte, Y1 = b in every byte.
	VPBROADCASTB a+24(FP), Y0
	VPBROADCASTB b+25(FP), Y1

avx2loop:
	VPCMPEQB (SI), Y0, Y2
	VPCMPEQB 1(SI), Y1, Y3
	VPCMPEQB 32(SI), Y0, Y4
	VPCMPEQB 33(SI), Y1, Y5
	VPAND    Y3, Y2, Y2
	VPAND    Y5, Y4, Y4
	VPOR     Y2, Y4, Y6
	VPTEST   Y6, Y6
	JNZ      avx2found
	ADDQ     $64, SI
	CMPQ     SI, BX
	JB       avx2loop
	VZEROUPPER

avx2none:
	MOVQ $-1, ret+32(FP)
	RET

avx2found:
	// The first match: the low 32 bits are the first half, the high 32 the second.
	VPMOVMSKB Y2, DX
	VPMOVMSKB Y4, CX
	VZEROUPPER
	SHLQ      $32, CX
	ORQ       CX, DX
	BSFQ      DX, DX
	SUBQ      DI, SI
	ADDQ      DX, SI
	MOVQ      SI, ret+32(FP)
	RET

// func indexPairSSE2(s []byte, a, b byte) int
TEXT ·indexPairSSE2(SB), NOSPLIT, $0-40
	MOVQ s_base+0(FP), SI
	MOVQ s_len+8(FP), BX
	DECQ BX
	JLE  sse2none
	ANDQ $-64, BX
	JZ   sse2none
	MOVQ SI, DI
	ADDQ SI, BX

	// X0 = a in every byte, X1 = b in every byte.
	MOVBLZX   a+24(FP), AX
	MOVD      AX, X0
	PUNPCKLBW X0, X0
	PUNPCKLBW X0, X0
	PSHUFL    $0, X0, X0
	MOVBLZX   b+25(FP), AX
	MOVD      AX, X1
	PUNPCKLBW X1, X1
	PUNPCKLBW X1, X1
	PSHUFL    $0, X1, X1

	// 32 positions per step, two steps per block of 64.
sse2loop:
	MOVOU    (SI), X2
	MOVOU    1(SI), X3
	MOVOU    16(SI), X4
	MOVOU    17(SI), X5
	PCMPEQB  X0, X2
	PCMPEQB  X1, X3
	PCMPEQB  X0, X4
	PCMPEQB  X1, X5
	PAND     X3, X2
	PAND     X5, X4
	MOVOU    X2, X6
	POR      X4, X6
	PMOVMSKB X6, DX
	TESTL    DX, DX
	JNZ      sse2found
	ADDQ     $32, SI
	CMPQ     SI, BX
	JB       sse2loop

sse2none:
	MOVQ $-1, ret+32(FP)
	RET

sse2found:
	// The first match: the low 16 bits are the first half, the high 16 the second.
	PMOVMSKB X2, DX
	PMOVMSKB X4, CX
	SHLL     $16, CX
	ORL      CX, DX
	BSFL     DX, DX
	SUBQ     DI, SI
	ADDQ     DX, SI
	MOVQ     SI, ret+32(FP)
	RET
