//go:build amd64 && !purego

#include "textflag.h"

// Both functions examine the last pairBlocks(len(s)) positions that have a next byte, i in
// [len(s)-1-pairBlocks(len(s)), len(s)-1), 64 per iteration from the end, for s[i] == a && s[i+1] == b,
// and return the last such i or -1. The lowest load starts at s[(len(s)-1) % 64], inside s.

// func lastIndexPairAVX2(s []byte, a, b byte) int
TEXT ·lastIndexPairAVX2(SB), NOSPLIT, $0-40
	MOVQ s_base+0(FP), DI
	MOVQ s_len+8(FP), BX
	DECQ BX
	JLE  lavx2none
	MOVQ BX, CX
	ANDQ $-64, CX
	JZ   lavx2none
	LEAQ (DI)(BX*1), SI // one past the last position examined
	SUBQ CX, BX
	ADDQ DI, BX         // the first position examined

	VPBROADCASTB a+24(FP), Y0
	VPBROADCASTB b+25(FP), Y1

lavx2loop:
	SUBQ     $64, SI
	VPCMPEQB (SI), Y0, Y2
	VPCMPEQB 1(SI), Y1, Y3
	VPCMPEQB 32(SI), Y0, Y4
	VPCMPEQB 33(SI), Y1, Y5
	VPAND    Y3, Y2, Y2
	VPAND    Y5, Y4, Y4
	VPOR     Y2, Y4, Y6
	VPTEST   Y6, Y6
	JNZ      lavx2found
	CMPQ     SI, BX
	JA       lavx2loop
	VZEROUPPER

lavx2none:
	MOVQ $-1, ret+32(FP)
	RET

lavx2found:
	// The last match: the low 32 bits are the first half, the high 32 the second.
	VPMOVMSKB Y2, DX
	VPMOVMSKB Y4, CX
	VZEROUPPER
	SHLQ      $32, CX
	ORQ       CX, DX
	BSRQ      DX, DX
	SUBQ      DI, SI
	ADDQ      DX, SI
	MOVQ      SI, ret+32(FP)
	RET

// func lastIndexPairSSE2(s []byte, a, b byte) int
TEXT ·lastIndexPairSSE2(SB), NOSPLIT, $0-40
	MOVQ s_base+0(FP), DI
	MOVQ s_len+8(FP), BX
	DECQ BX
	JLE  lsse2none
	MOVQ BX, CX
	ANDQ $-64, CX
	JZ   lsse2none
	LEAQ (DI)(BX*1), SI // one past the last position examined
	SUBQ CX, BX
	ADDQ DI, BX         // the first position examined

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
lsse2loop:
	SUBQ     $32, SI
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
	JNZ      lsse2found
	CMPQ     SI, BX
	JA       lsse2loop

lsse2none:
	MOVQ $-1, ret+32(FP)
	RET

lsse2found:
	// The last match: the low 16 bits are the first half, the high 16 the second.
	PMOVMSKB X2, DX
	PMOVMSKB X4, CX
	SHLL     $16, CX
	ORL      CX, DX
	BSRL     DX, DX
	SUBQ     DI, SI
	ADDQ     DX, SI
	MOVQ     SI, ret+32(FP)
	RET
