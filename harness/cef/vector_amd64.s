//go:build amd64 && !purego

#include "textflag.h"

// asciiBlocksAVX2 and asciiBlocksSSE2 return the length of the leading whole 64-byte blocks of s whose
// bytes are all below 0x80 (asciiBlocks): they load s[i:i+64] for i < len(s) &^ 63 only, and stop at
// the first block with a high bit set.

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

// func headerMasksAVX2(s []byte) (bars, escapes uint64)
// s holds at least 64 bytes.
TEXT ·headerMasksAVX2(SB), NOSPLIT, $0-40
	MOVQ         s_base+0(FP), SI
	MOVQ         $0x7c, AX // '|'
	MOVQ         AX, X0
	VPBROADCASTB X0, Y0
	MOVQ         $0x5c, AX // '\\'
	MOVQ         AX, X1
	VPBROADCASTB X1, Y1
	VMOVDQU      (SI), Y2
	VMOVDQU      32(SI), Y3
	VPCMPEQB     Y2, Y0, Y4
	VPCMPEQB     Y3, Y0, Y5
	VPCMPEQB     Y2, Y1, Y2
	VPCMPEQB     Y3, Y1, Y3
	VPMOVMSKB    Y4, AX
	VPMOVMSKB    Y5, CX
	VPMOVMSKB    Y2, DX
	VPMOVMSKB    Y3, BX
	VZEROUPPER
	SHLQ         $32, CX
	ORQ          CX, AX
	SHLQ         $32, BX
	ORQ          BX, DX
	MOVQ         AX, bars+24(FP)
	MOVQ         DX, escapes+32(FP)
	RET

// func headerMasksSSE2(s []byte) (bars, escapes uint64)
// s holds at least 64 bytes.
TEXT ·headerMasksSSE2(SB), NOSPLIT, $0-40
	MOVQ      s_base+0(FP), SI
	MOVQ      $0x7c7c7c7c7c7c7c7c, AX
	MOVQ      AX, X0
	PUNPCKLQDQ X0, X0
	MOVQ      $0x5c5c5c5c5c5c5c5c, AX
	MOVQ      AX, X1
	PUNPCKLQDQ X1, X1
	XORQ      AX, AX // bars
	XORQ      DX, DX // escapes
	MOVQ      $48, CX

sse2mask:
	// From the last 16 bytes to the first, shifting the masks up 16 bits per step.
	SHLQ     $16, AX
	SHLQ     $16, DX
	MOVOU    (SI)(CX*1), X2
	MOVOU    X2, X3
	PCMPEQB  X0, X2
	PCMPEQB  X1, X3
	PMOVMSKB X2, R8
	PMOVMSKB X3, R9
	ORQ      R8, AX
	ORQ      R9, DX
	SUBQ     $16, CX
	JGE      sse2mask
	MOVQ     AX, bars+24(FP)
	MOVQ     DX, escapes+32(FP)
	RET
