;; The P22-type anti-diagonal contraction of ./loop-integrals.ts as a WebAssembly SIMD kernel
;; for tfjs-backend-wasm (whose batched matMul runs a generic scalar loop). It works in the
;; backend's own memory (imported): every pointer is a byte offset of a tensor there.
;;
;; Inputs (float32):
;;   x, y   [B, 2nc]        FFTLog coefficients [Re | Im] of the two operands (y = x for the
;;                          quadratic forms Re X^T M X, CLASS-PT `batch_quadratic_form`; y != x
;;                          for the bilinear forms Re X^T M Y, `batch_bilinear_form`)
;;   blk    [ns, h+1, 2K4]  K complex symmetric kernels on half of each anti-diagonal s = c + d
;;                          (tensor-basis.ts packQuadraticKernels): row t holds w M_k[c, s-c]
;;                          for k < K (Re in lanes 0..K4-1, Im in lanes K4..2K4-1, zero padded),
;;                          c = t for s < nc, c = h + t for s >= nc, w = 1/2 on c = d
;; The symmetrised products S_cd = X_c Y_d + X_d Y_c (complex, no conjugation) are formed on the
;; fly; only the t of each anti-diagonal with (s < nc: c <= d; s >= nc: c >= d) are visited:
;;   A_k(s) = sum_t S_{c, s-c} blk[s, t, k]
;; folded modulo N (the synthesis k_j^(-i eta_s) repeats with period N in s: see
;; ../fftlog/synthesis.ts): out [B, K, 2, N] = [Re A' | Im A'] per
;; kernel, A'_m = sum over s = m (mod N) of A(s); `out` is zeroed by the caller.
;; nc = N + 1 is odd, h = N / 2, ns = 2N + 1, K4 = K rounded up to a multiple of 4.
(module
  (import "env" "memory" (memory 1))

  ;; the visited rows of anti-diagonal s: t0, t1 (inclusive) and the offset c - t
  (func $range (param $s i32) (param $nc i32) (param $h i32) (result i32 i32 i32)
    (if (result i32 i32 i32) (i32.lt_u (local.get $s) (local.get $nc))
      (then ;; c = t <= d = s - t
        (i32.const 0)
        (select (local.get $h) (i32.shr_u (local.get $s) (i32.const 1))
          (i32.lt_u (local.get $h) (i32.shr_u (local.get $s) (i32.const 1))))
        (i32.const 0))
      (else ;; c = h + t >= d = s - c
        (i32.sub (i32.shr_u (i32.add (local.get $s) (i32.const 1)) (i32.const 1)) (local.get $h))
        (local.get $h)
        (local.get $h))))

;; out[o + l step] += re[l] and out[o + l step + step/2] += im[l] (Re A then Im A of kernel
  ;; kb + l) for the lanes l < left
  (func $addLanes (param $o i32) (param $step i32) (param $left i32) (param $re v128) (param $im v128)
    (local $h i32)
    (local.set $h (i32.shr_u (local.get $step) (i32.const 1)))
    (call $add1 (local.get $o) (local.get $h) (f32x4.extract_lane 0 (local.get $re)) (f32x4.extract_lane 0 (local.get $im)))
    (if (i32.gt_s (local.get $left) (i32.const 1)) (then
      (call $add1 (i32.add (local.get $o) (local.get $step)) (local.get $h)
        (f32x4.extract_lane 1 (local.get $re)) (f32x4.extract_lane 1 (local.get $im)))))
    (if (i32.gt_s (local.get $left) (i32.const 2)) (then
      (call $add1 (i32.add (local.get $o) (i32.shl (local.get $step) (i32.const 1))) (local.get $h)
        (f32x4.extract_lane 2 (local.get $re)) (f32x4.extract_lane 2 (local.get $im)))))
    (if (i32.gt_s (local.get $left) (i32.const 3)) (then
      (call $add1 (i32.add (local.get $o) (i32.mul (local.get $step) (i32.const 3))) (local.get $h)
        (f32x4.extract_lane 3 (local.get $re)) (f32x4.extract_lane 3 (local.get $im))))))

  (func $add1 (param $o i32) (param $h i32) (param $re f32) (param $im f32)
    (f32.store (local.get $o) (f32.add (f32.load (local.get $o)) (local.get $re)))
    (f32.store (i32.add (local.get $o) (local.get $h)) (f32.add (f32.load (i32.add (local.get $o) (local.get $h))) (local.get $im))))

  ;; s modulo N for s in [0, 2N]
  (func $fold (param $s i32) (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $s) (local.get $n))
      (then (local.get $s))
      (else (if (result i32) (i32.lt_u (local.get $s) (i32.shl (local.get $n) (i32.const 1)))
        (then (i32.sub (local.get $s) (local.get $n)))
        (else (i32.const 0))))))

  (func (export "quadraticForms")
    (param $x i32) (param $y i32) (param $blk i32) (param $out i32) (param $scr i32)
    (param $B i32) (param $nc i32) (param $K i32) (param $K4 i32)
    (local $n i32) (local $ns i32) (local $h i32) (local $s i32) (local $b i32) (local $t i32)
    (local $t0 i32) (local $t1 i32) (local $cOff i32) (local $c i32) (local $d i32)
    (local $xb i32) (local $yb i32) (local $im i32) (local $rowT i32) (local $blkS i32)
    (local $kb i32) (local $p i32) (local $q i32) (local $k i32) (local $o i32) (local $reIm i32)
    (local $xrc f32) (local $xic f32) (local $xrd f32) (local $xid f32)
    (local $yrc f32) (local $yic f32) (local $yrd f32) (local $yid f32)
    (local $accR v128) (local $accI v128) (local $sre v128) (local $sim v128)
    (local $mr v128) (local $mi v128) (local $accR2 v128) (local $accI2 v128)
    (local.set $n (i32.sub (local.get $nc) (i32.const 1)))
    (local.set $ns (i32.sub (i32.shl (local.get $nc) (i32.const 1)) (i32.const 1)))
    (local.set $h (i32.shr_u (i32.sub (local.get $nc) (i32.const 1)) (i32.const 1)))
    (local.set $im (i32.shl (local.get $nc) (i32.const 2)))        ;; bytes from Re to Im of x
    (local.set $rowT (i32.shl (local.get $K4) (i32.const 3)))      ;; bytes per row t of blk
    (local.set $reIm (i32.shl (local.get $K4) (i32.const 2)))      ;; bytes from Re to Im lanes
    (local.set $s (i32.const 0))
    (block $sDone (loop $sLoop
      (br_if $sDone (i32.ge_u (local.get $s) (local.get $ns)))
      (call $range (local.get $s) (local.get $nc) (local.get $h))
      (local.set $cOff) (local.set $t1) (local.set $t0)
      (local.set $blkS (i32.add (local.get $blk)
        (i32.mul (i32.mul (local.get $s) (i32.add (local.get $h) (i32.const 1))) (local.get $rowT))))
      (local.set $b (i32.const 0))
      (block $bDone (loop $bLoop
        (br_if $bDone (i32.ge_u (local.get $b) (local.get $B)))
        (local.set $xb (i32.add (local.get $x) (i32.mul (local.get $b) (i32.shl (local.get $im) (i32.const 1)))))
        (local.set $yb (i32.add (local.get $y) (i32.mul (local.get $b) (i32.shl (local.get $im) (i32.const 1)))))
        ;; S_cd for the visited t, as (Re, Im) pairs in the scratch
        (local.set $t (local.get $t0))
        (block $fDone (loop $fLoop
          (br_if $fDone (i32.gt_s (local.get $t) (local.get $t1)))
          (local.set $c (i32.shl (i32.add (local.get $cOff) (local.get $t)) (i32.const 2)))
          (local.set $d (i32.sub (i32.shl (local.get $s) (i32.const 2)) (local.get $c)))
          (local.set $xrc (f32.load (i32.add (local.get $xb) (local.get $c))))
          (local.set $xic (f32.load (i32.add (i32.add (local.get $xb) (local.get $im)) (local.get $c))))
          (local.set $xrd (f32.load (i32.add (local.get $xb) (local.get $d))))
          (local.set $xid (f32.load (i32.add (i32.add (local.get $xb) (local.get $im)) (local.get $d))))
          (local.set $yrc (f32.load (i32.add (local.get $yb) (local.get $c))))
          (local.set $yic (f32.load (i32.add (i32.add (local.get $yb) (local.get $im)) (local.get $c))))
          (local.set $yrd (f32.load (i32.add (local.get $yb) (local.get $d))))
          (local.set $yid (f32.load (i32.add (i32.add (local.get $yb) (local.get $im)) (local.get $d))))
          (local.set $q (i32.add (local.get $scr) (i32.shl (local.get $t) (i32.const 3))))
          (f32.store (local.get $q)
            (f32.add
              (f32.sub (f32.mul (local.get $xrc) (local.get $yrd)) (f32.mul (local.get $xic) (local.get $yid)))
              (f32.sub (f32.mul (local.get $xrd) (local.get $yrc)) (f32.mul (local.get $xid) (local.get $yic)))))
          (f32.store offset=4 (local.get $q)
            (f32.add
              (f32.add (f32.mul (local.get $xrc) (local.get $yid)) (f32.mul (local.get $xic) (local.get $yrd)))
              (f32.add (f32.mul (local.get $xrd) (local.get $yic)) (f32.mul (local.get $xid) (local.get $yrc)))))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br $fLoop)))
        ;; eight kernels at a time (four independent accumulator chains), then four: A += S (x) M, complex
        (local.set $kb (i32.const 0))
        (local.set $o (i32.add (local.get $out) (i32.shl
          (i32.add (i32.mul (i32.shl (i32.mul (local.get $b) (local.get $K)) (i32.const 1)) (local.get $n))
            (call $fold (local.get $s) (local.get $n))) (i32.const 2))))   ;; out[b, 0, 0, s mod N]
        (local.set $k (i32.shl (local.get $n) (i32.const 3)))              ;; bytes from kernel k to k + 1
        (block $kDone (loop $kLoop
          (br_if $kDone (i32.ge_u (local.get $kb) (local.get $K)))
          (local.set $accR (v128.const f32x4 0 0 0 0))
          (local.set $accI (v128.const f32x4 0 0 0 0))
          (local.set $accR2 (v128.const f32x4 0 0 0 0))
          (local.set $accI2 (v128.const f32x4 0 0 0 0))
          (local.set $p (i32.add (i32.add (local.get $blkS) (i32.mul (local.get $t0) (local.get $rowT)))
            (i32.shl (local.get $kb) (i32.const 2))))
          (local.set $q (i32.add (local.get $scr) (i32.shl (local.get $t0) (i32.const 3))))
          (local.set $t (local.get $t0))
          (if (i32.gt_u (local.get $K) (i32.add (local.get $kb) (i32.const 4)))
            (then
              (block $tDone (loop $tLoop
                (br_if $tDone (i32.gt_s (local.get $t) (local.get $t1)))
                (local.set $sre (v128.load32_splat (local.get $q)))
                (local.set $sim (v128.load32_splat offset=4 (local.get $q)))
                (local.set $mr (v128.load (local.get $p)))
                (local.set $mi (v128.load (i32.add (local.get $p) (local.get $reIm))))
                (local.set $accR (f32x4.sub
                  (f32x4.add (local.get $accR) (f32x4.mul (local.get $sre) (local.get $mr)))
                  (f32x4.mul (local.get $sim) (local.get $mi))))
                (local.set $accI (f32x4.add
                  (f32x4.add (local.get $accI) (f32x4.mul (local.get $sre) (local.get $mi)))
                  (f32x4.mul (local.get $sim) (local.get $mr))))
                (local.set $mr (v128.load offset=16 (local.get $p)))
                (local.set $mi (v128.load offset=16 (i32.add (local.get $p) (local.get $reIm))))
                (local.set $accR2 (f32x4.sub
                  (f32x4.add (local.get $accR2) (f32x4.mul (local.get $sre) (local.get $mr)))
                  (f32x4.mul (local.get $sim) (local.get $mi))))
                (local.set $accI2 (f32x4.add
                  (f32x4.add (local.get $accI2) (f32x4.mul (local.get $sre) (local.get $mi)))
                  (f32x4.mul (local.get $sim) (local.get $mr))))
                (local.set $p (i32.add (local.get $p) (local.get $rowT)))
                (local.set $q (i32.add (local.get $q) (i32.const 8)))
                (local.set $t (i32.add (local.get $t) (i32.const 1)))
                (br $tLoop)))
              (call $addLanes (local.get $o) (local.get $k) (i32.sub (local.get $K) (local.get $kb)) (local.get $accR) (local.get $accI))
              (call $addLanes (i32.add (local.get $o) (i32.shl (local.get $k) (i32.const 2))) (local.get $k)
                (i32.sub (local.get $K) (i32.add (local.get $kb) (i32.const 4))) (local.get $accR2) (local.get $accI2))
              (local.set $o (i32.add (local.get $o) (i32.shl (local.get $k) (i32.const 3))))
              (local.set $kb (i32.add (local.get $kb) (i32.const 8))))
            (else
              (block $tDone (loop $tLoop
                (br_if $tDone (i32.gt_s (local.get $t) (local.get $t1)))
                (local.set $sre (v128.load32_splat (local.get $q)))
                (local.set $sim (v128.load32_splat offset=4 (local.get $q)))
                (local.set $mr (v128.load (local.get $p)))
                (local.set $mi (v128.load (i32.add (local.get $p) (local.get $reIm))))
                (local.set $accR (f32x4.sub
                  (f32x4.add (local.get $accR) (f32x4.mul (local.get $sre) (local.get $mr)))
                  (f32x4.mul (local.get $sim) (local.get $mi))))
                (local.set $accI (f32x4.add
                  (f32x4.add (local.get $accI) (f32x4.mul (local.get $sre) (local.get $mi)))
                  (f32x4.mul (local.get $sim) (local.get $mr))))
                (local.set $p (i32.add (local.get $p) (local.get $rowT)))
                (local.set $q (i32.add (local.get $q) (i32.const 8)))
                (local.set $t (i32.add (local.get $t) (i32.const 1)))
                (br $tLoop)))
              (call $addLanes (local.get $o) (local.get $k) (i32.sub (local.get $K) (local.get $kb)) (local.get $accR) (local.get $accI))
              (local.set $o (i32.add (local.get $o) (i32.shl (local.get $k) (i32.const 2))))
              (local.set $kb (i32.add (local.get $kb) (i32.const 4)))))
          (br $kLoop)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $bLoop)))
      (local.set $s (i32.add (local.get $s) (i32.const 1)))
      (br $sLoop))))

  ;; The reverse pass: given dA [B, K, 2, N] (folded as above), accumulates dx, dy [B, 2nc] (zeroed by the
  ;; caller). With G = dL/dS_cd = sum_k [dA_re M + dA_im conj-rotated M] per visited (c, d):
  ;;   dX_c += G Y_d,  dX_d += G Y_c,  dY_d += G X_c,  dY_c += G X_d  (as real 2x2 maps).
  ;; scr holds 2K4 floats (dA of one (b, s mod N); lanes k >= K zeroed by the caller).
  (func (export "quadraticFormsGrad")
    (param $x i32) (param $y i32) (param $blk i32) (param $dA i32) (param $dx i32) (param $dy i32)
    (param $scr i32) (param $B i32) (param $nc i32) (param $K i32) (param $K4 i32)
    (local $n i32) (local $ns i32) (local $h i32) (local $s i32) (local $b i32) (local $t i32)
    (local $t0 i32) (local $t1 i32) (local $cOff i32) (local $c i32) (local $d i32)
    (local $xb i32) (local $yb i32) (local $gxb i32) (local $gyb i32) (local $im i32)
    (local $rowT i32) (local $reIm i32) (local $blkS i32) (local $p i32) (local $kb i32)
    (local $k i32) (local $o i32)
    (local $gr f32) (local $gi f32) (local $vr f32) (local $vi f32) (local $a i32)
    (local $accR v128) (local $accI v128) (local $dre v128) (local $dim v128)
    (local $mr v128) (local $mi v128)
    (local.set $n (i32.sub (local.get $nc) (i32.const 1)))
    (local.set $ns (i32.sub (i32.shl (local.get $nc) (i32.const 1)) (i32.const 1)))
    (local.set $h (i32.shr_u (i32.sub (local.get $nc) (i32.const 1)) (i32.const 1)))
    (local.set $im (i32.shl (local.get $nc) (i32.const 2)))
    (local.set $rowT (i32.shl (local.get $K4) (i32.const 3)))
    (local.set $reIm (i32.shl (local.get $K4) (i32.const 2)))
    (local.set $s (i32.const 0))
    (block $sDone (loop $sLoop
      (br_if $sDone (i32.ge_u (local.get $s) (local.get $ns)))
      (call $range (local.get $s) (local.get $nc) (local.get $h))
      (local.set $cOff) (local.set $t1) (local.set $t0)
      (local.set $blkS (i32.add (local.get $blk)
        (i32.mul (i32.mul (local.get $s) (i32.add (local.get $h) (i32.const 1))) (local.get $rowT))))
      (local.set $b (i32.const 0))
      (block $bDone (loop $bLoop
        (br_if $bDone (i32.ge_u (local.get $b) (local.get $B)))
        ;; dA[b, k, 0|1, s] -> scratch lanes
        (local.set $k (i32.const 0))
        (block $gDone (loop $gLoop
          (br_if $gDone (i32.ge_u (local.get $k) (local.get $K)))
          (local.set $o (i32.add (local.get $dA) (i32.shl
            (i32.add (i32.mul (i32.shl (i32.add (i32.mul (local.get $b) (local.get $K)) (local.get $k)) (i32.const 1))
              (local.get $n)) (call $fold (local.get $s) (local.get $n))) (i32.const 2))))
          (f32.store (i32.add (local.get $scr) (i32.shl (local.get $k) (i32.const 2))) (f32.load (local.get $o)))
          (f32.store (i32.add (i32.add (local.get $scr) (local.get $reIm)) (i32.shl (local.get $k) (i32.const 2)))
            (f32.load (i32.add (local.get $o) (i32.shl (local.get $n) (i32.const 2)))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $gLoop)))
        (local.set $xb (i32.add (local.get $x) (i32.mul (local.get $b) (i32.shl (local.get $im) (i32.const 1)))))
        (local.set $yb (i32.add (local.get $y) (i32.mul (local.get $b) (i32.shl (local.get $im) (i32.const 1)))))
        (local.set $gxb (i32.add (local.get $dx) (i32.mul (local.get $b) (i32.shl (local.get $im) (i32.const 1)))))
        (local.set $gyb (i32.add (local.get $dy) (i32.mul (local.get $b) (i32.shl (local.get $im) (i32.const 1)))))
        (local.set $t (local.get $t0))
        (block $tDone (loop $tLoop
          (br_if $tDone (i32.gt_s (local.get $t) (local.get $t1)))
          (local.set $accR (v128.const f32x4 0 0 0 0))
          (local.set $accI (v128.const f32x4 0 0 0 0))
          (local.set $p (i32.add (local.get $blkS) (i32.mul (local.get $t) (local.get $rowT))))
          (local.set $kb (i32.const 0))
          (block $kDone (loop $kLoop
            (br_if $kDone (i32.ge_u (local.get $kb) (local.get $K)))
            (local.set $o (i32.shl (local.get $kb) (i32.const 2)))
            (local.set $dre (v128.load (i32.add (local.get $scr) (local.get $o))))
            (local.set $dim (v128.load (i32.add (i32.add (local.get $scr) (local.get $reIm)) (local.get $o))))
            (local.set $mr (v128.load (i32.add (local.get $p) (local.get $o))))
            (local.set $mi (v128.load (i32.add (i32.add (local.get $p) (local.get $reIm)) (local.get $o))))
            ;; dL/dRe S = dA_re M_re + dA_im M_im, dL/dIm S = dA_im M_re - dA_re M_im
            (local.set $accR (f32x4.add (local.get $accR)
              (f32x4.add (f32x4.mul (local.get $dre) (local.get $mr)) (f32x4.mul (local.get $dim) (local.get $mi)))))
            (local.set $accI (f32x4.add (local.get $accI)
              (f32x4.sub (f32x4.mul (local.get $dim) (local.get $mr)) (f32x4.mul (local.get $dre) (local.get $mi)))))
            (local.set $kb (i32.add (local.get $kb) (i32.const 4)))
            (br $kLoop)))
          (local.set $gr (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $accR)) (f32x4.extract_lane 1 (local.get $accR)))
            (f32.add (f32x4.extract_lane 2 (local.get $accR)) (f32x4.extract_lane 3 (local.get $accR)))))
          (local.set $gi (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $accI)) (f32x4.extract_lane 1 (local.get $accI)))
            (f32.add (f32x4.extract_lane 2 (local.get $accI)) (f32x4.extract_lane 3 (local.get $accI)))))
          (local.set $c (i32.shl (i32.add (local.get $cOff) (local.get $t)) (i32.const 2)))
          (local.set $d (i32.sub (i32.shl (local.get $s) (i32.const 2)) (local.get $c)))
          ;; dX_c += G Y_d, dX_d += G Y_c (from S's X_c Y_d and X_d Y_c terms); dY_d += G X_c, dY_c += G X_d
          ;; (each: d Re S / d Re u = Re v, d Im S / d Re u = Im v, d Re S / d Im u = -Im v, d Im S / d Im u = Re v)
          (local.set $vr (f32.load (i32.add (local.get $yb) (local.get $d))))
          (local.set $vi (f32.load (i32.add (i32.add (local.get $yb) (local.get $im)) (local.get $d))))
          (local.set $a (i32.add (local.get $gxb) (local.get $c)))
          (f32.store (local.get $a) (f32.add (f32.load (local.get $a))
            (f32.add (f32.mul (local.get $gr) (local.get $vr)) (f32.mul (local.get $gi) (local.get $vi)))))
          (local.set $a (i32.add (local.get $a) (local.get $im)))
          (f32.store (local.get $a) (f32.add (f32.load (local.get $a))
            (f32.sub (f32.mul (local.get $gi) (local.get $vr)) (f32.mul (local.get $gr) (local.get $vi)))))
          (local.set $vr (f32.load (i32.add (local.get $yb) (local.get $c))))
          (local.set $vi (f32.load (i32.add (i32.add (local.get $yb) (local.get $im)) (local.get $c))))
          (local.set $a (i32.add (local.get $gxb) (local.get $d)))
          (f32.store (local.get $a) (f32.add (f32.load (local.get $a))
            (f32.add (f32.mul (local.get $gr) (local.get $vr)) (f32.mul (local.get $gi) (local.get $vi)))))
          (local.set $a (i32.add (local.get $a) (local.get $im)))
          (f32.store (local.get $a) (f32.add (f32.load (local.get $a))
            (f32.sub (f32.mul (local.get $gi) (local.get $vr)) (f32.mul (local.get $gr) (local.get $vi)))))
          (local.set $vr (f32.load (i32.add (local.get $xb) (local.get $c))))
          (local.set $vi (f32.load (i32.add (i32.add (local.get $xb) (local.get $im)) (local.get $c))))
          (local.set $a (i32.add (local.get $gyb) (local.get $d)))
          (f32.store (local.get $a) (f32.add (f32.load (local.get $a))
            (f32.add (f32.mul (local.get $gr) (local.get $vr)) (f32.mul (local.get $gi) (local.get $vi)))))
          (local.set $a (i32.add (local.get $a) (local.get $im)))
          (f32.store (local.get $a) (f32.add (f32.load (local.get $a))
            (f32.sub (f32.mul (local.get $gi) (local.get $vr)) (f32.mul (local.get $gr) (local.get $vi)))))
          (local.set $vr (f32.load (i32.add (local.get $xb) (local.get $d))))
          (local.set $vi (f32.load (i32.add (i32.add (local.get $xb) (local.get $im)) (local.get $d))))
          (local.set $a (i32.add (local.get $gyb) (local.get $c)))
          (f32.store (local.get $a) (f32.add (f32.load (local.get $a))
            (f32.add (f32.mul (local.get $gr) (local.get $vr)) (f32.mul (local.get $gi) (local.get $vi)))))
          (local.set $a (i32.add (local.get $a) (local.get $im)))
          (f32.store (local.get $a) (f32.add (f32.load (local.get $a))
            (f32.sub (f32.mul (local.get $gi) (local.get $vr)) (f32.mul (local.get $gr) (local.get $vi)))))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br $tLoop)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $bLoop)))
      (local.set $s (i32.add (local.get $s) (i32.const 1)))
      (br $sLoop))))

  ;; The forward contraction of quadraticForms in float64 (the values of the loops; the float32
  ;; kernels above give their gradients). Same layout with 8-byte lanes: x, y [B, 2nc] f64, blk
  ;; [ns, h+1, 2K4] f64 (Re lanes 0..K4-1, Im lanes K4..2K4-1), out [B, K, 2, N] f64 zeroed by the
  ;; caller, scr (nc + 1) (Re, Im) f64 pairs. Eight kernels per pass (four f64x2 per part), four at the end; a float32
  ;; contraction's rounding of the anti-diagonal sums, ~1e-7 of their largest terms, is a relative
  ;; error ~1e-7 P_max/P(k) of the loops at k (2.5e-5 at 1 h/Mpc, 2e-3 at 3 h/Mpc).
  (func $add64 (param $o i32) (param $h i32) (param $re f64) (param $im f64)
    (f64.store (local.get $o) (f64.add (f64.load (local.get $o)) (local.get $re)))
    (f64.store (i32.add (local.get $o) (local.get $h)) (f64.add (f64.load (i32.add (local.get $o) (local.get $h))) (local.get $im))))

  ;; out[o] += re[0], out[o + h] += im[0]; then, if left > 1, the same for lane 1 one kernel (step) further
  (func $add64x2 (param $o i32) (param $step i32) (param $h i32) (param $left i32) (param $re v128) (param $im v128)
    (if (i32.gt_s (local.get $left) (i32.const 0)) (then
      (call $add64 (local.get $o) (local.get $h) (f64x2.extract_lane 0 (local.get $re)) (f64x2.extract_lane 0 (local.get $im)))))
    (if (i32.gt_s (local.get $left) (i32.const 1)) (then
      (call $add64 (i32.add (local.get $o) (local.get $step)) (local.get $h) (f64x2.extract_lane 1 (local.get $re)) (f64x2.extract_lane 1 (local.get $im))))))

  (func (export "quadraticForms64")
    (param $x i32) (param $y i32) (param $blk i32) (param $out i32) (param $scr i32)
    (param $B i32) (param $nc i32) (param $K i32) (param $K4 i32)
    (local $n i32) (local $ns i32) (local $h i32) (local $s i32) (local $b i32) (local $t i32)
    (local $t0 i32) (local $t1 i32) (local $cOff i32) (local $c i32) (local $d i32)
    (local $xb i32) (local $yb i32) (local $im i32) (local $rowT i32) (local $blkS i32)
    (local $kb i32) (local $p i32) (local $q i32) (local $k i32) (local $o i32) (local $reIm i32) (local $hk i32)
    (local $xrc f64) (local $xic f64) (local $xrd f64) (local $xid f64)
    (local $yrc f64) (local $yic f64) (local $yrd f64) (local $yid f64)
    (local $accR v128) (local $accI v128) (local $accR2 v128) (local $accI2 v128)
    (local $accR3 v128) (local $accI3 v128) (local $accR4 v128) (local $accI4 v128)
    (local $sre v128) (local $sim v128) (local $mr v128) (local $mi v128)
    (local.set $n (i32.sub (local.get $nc) (i32.const 1)))
    (local.set $ns (i32.sub (i32.shl (local.get $nc) (i32.const 1)) (i32.const 1)))
    (local.set $h (i32.shr_u (i32.sub (local.get $nc) (i32.const 1)) (i32.const 1)))
    (local.set $im (i32.shl (local.get $nc) (i32.const 3)))        ;; bytes from Re to Im of x
    (local.set $rowT (i32.shl (local.get $K4) (i32.const 4)))      ;; bytes per row t of blk
    (local.set $reIm (i32.shl (local.get $K4) (i32.const 3)))      ;; bytes from Re to Im lanes
    (local.set $k (i32.shl (local.get $n) (i32.const 4)))          ;; bytes from kernel k to k + 1 in out
    (local.set $hk (i32.shl (local.get $n) (i32.const 3)))         ;; bytes from Re A to Im A
    (local.set $s (i32.const 0))
    (block $sDone (loop $sLoop
      (br_if $sDone (i32.ge_u (local.get $s) (local.get $ns)))
      (call $range (local.get $s) (local.get $nc) (local.get $h))
      (local.set $cOff) (local.set $t1) (local.set $t0)
      (local.set $blkS (i32.add (local.get $blk)
        (i32.mul (i32.mul (local.get $s) (i32.add (local.get $h) (i32.const 1))) (local.get $rowT))))
      (local.set $b (i32.const 0))
      (block $bDone (loop $bLoop
        (br_if $bDone (i32.ge_u (local.get $b) (local.get $B)))
        (local.set $xb (i32.add (local.get $x) (i32.mul (local.get $b) (i32.shl (local.get $im) (i32.const 1)))))
        (local.set $yb (i32.add (local.get $y) (i32.mul (local.get $b) (i32.shl (local.get $im) (i32.const 1)))))
        (local.set $t (local.get $t0))
        (block $fDone (loop $fLoop
          (br_if $fDone (i32.gt_s (local.get $t) (local.get $t1)))
          (local.set $c (i32.shl (i32.add (local.get $cOff) (local.get $t)) (i32.const 3)))
          (local.set $d (i32.sub (i32.shl (local.get $s) (i32.const 3)) (local.get $c)))
          (local.set $xrc (f64.load (i32.add (local.get $xb) (local.get $c))))
          (local.set $xic (f64.load (i32.add (i32.add (local.get $xb) (local.get $im)) (local.get $c))))
          (local.set $xrd (f64.load (i32.add (local.get $xb) (local.get $d))))
          (local.set $xid (f64.load (i32.add (i32.add (local.get $xb) (local.get $im)) (local.get $d))))
          (local.set $yrc (f64.load (i32.add (local.get $yb) (local.get $c))))
          (local.set $yic (f64.load (i32.add (i32.add (local.get $yb) (local.get $im)) (local.get $c))))
          (local.set $yrd (f64.load (i32.add (local.get $yb) (local.get $d))))
          (local.set $yid (f64.load (i32.add (i32.add (local.get $yb) (local.get $im)) (local.get $d))))
          (local.set $q (i32.add (local.get $scr) (i32.shl (local.get $t) (i32.const 4))))
          (f64.store (local.get $q)
            (f64.add
              (f64.sub (f64.mul (local.get $xrc) (local.get $yrd)) (f64.mul (local.get $xic) (local.get $yid)))
              (f64.sub (f64.mul (local.get $xrd) (local.get $yrc)) (f64.mul (local.get $xid) (local.get $yic)))))
          (f64.store offset=8 (local.get $q)
            (f64.add
              (f64.add (f64.mul (local.get $xrc) (local.get $yid)) (f64.mul (local.get $xic) (local.get $yrd)))
              (f64.add (f64.mul (local.get $xrd) (local.get $yic)) (f64.mul (local.get $xid) (local.get $yrc)))))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br $fLoop)))
        (local.set $o (i32.add (local.get $out) (i32.shl
          (i32.add (i32.mul (i32.shl (i32.mul (local.get $b) (local.get $K)) (i32.const 1)) (local.get $n))
            (call $fold (local.get $s) (local.get $n))) (i32.const 3))))   ;; out[b, 0, 0, s mod N]
        (local.set $kb (i32.const 0))
        (block $kDone (loop $kLoop
          (br_if $kDone (i32.ge_u (local.get $kb) (local.get $K)))
          (local.set $accR (v128.const f64x2 0 0))
          (local.set $accI (v128.const f64x2 0 0))
          (local.set $accR2 (v128.const f64x2 0 0))
          (local.set $accI2 (v128.const f64x2 0 0))
          (local.set $accR3 (v128.const f64x2 0 0))
          (local.set $accI3 (v128.const f64x2 0 0))
          (local.set $accR4 (v128.const f64x2 0 0))
          (local.set $accI4 (v128.const f64x2 0 0))
          (local.set $p (i32.add (i32.add (local.get $blkS) (i32.mul (local.get $t0) (local.get $rowT)))
            (i32.shl (local.get $kb) (i32.const 3))))
          (local.set $q (i32.add (local.get $scr) (i32.shl (local.get $t0) (i32.const 4))))
          (local.set $t (local.get $t0))
          (if (i32.gt_u (local.get $K) (i32.add (local.get $kb) (i32.const 4)))
            (then ;; eight kernels: four f64x2 accumulator pairs
              (block $tDone (loop $tLoop
                (br_if $tDone (i32.gt_s (local.get $t) (local.get $t1)))
                (local.set $sre (v128.load64_splat (local.get $q)))
                (local.set $sim (v128.load64_splat offset=8 (local.get $q)))
                (local.set $mr (v128.load (local.get $p)))
                (local.set $mi (v128.load (i32.add (local.get $p) (local.get $reIm))))
                (local.set $accR (f64x2.sub (f64x2.add (local.get $accR) (f64x2.mul (local.get $sre) (local.get $mr))) (f64x2.mul (local.get $sim) (local.get $mi))))
                (local.set $accI (f64x2.add (f64x2.add (local.get $accI) (f64x2.mul (local.get $sre) (local.get $mi))) (f64x2.mul (local.get $sim) (local.get $mr))))
                (local.set $mr (v128.load offset=16 (local.get $p)))
                (local.set $mi (v128.load offset=16 (i32.add (local.get $p) (local.get $reIm))))
                (local.set $accR2 (f64x2.sub (f64x2.add (local.get $accR2) (f64x2.mul (local.get $sre) (local.get $mr))) (f64x2.mul (local.get $sim) (local.get $mi))))
                (local.set $accI2 (f64x2.add (f64x2.add (local.get $accI2) (f64x2.mul (local.get $sre) (local.get $mi))) (f64x2.mul (local.get $sim) (local.get $mr))))
                (local.set $mr (v128.load offset=32 (local.get $p)))
                (local.set $mi (v128.load offset=32 (i32.add (local.get $p) (local.get $reIm))))
                (local.set $accR3 (f64x2.sub (f64x2.add (local.get $accR3) (f64x2.mul (local.get $sre) (local.get $mr))) (f64x2.mul (local.get $sim) (local.get $mi))))
                (local.set $accI3 (f64x2.add (f64x2.add (local.get $accI3) (f64x2.mul (local.get $sre) (local.get $mi))) (f64x2.mul (local.get $sim) (local.get $mr))))
                (local.set $mr (v128.load offset=48 (local.get $p)))
                (local.set $mi (v128.load offset=48 (i32.add (local.get $p) (local.get $reIm))))
                (local.set $accR4 (f64x2.sub (f64x2.add (local.get $accR4) (f64x2.mul (local.get $sre) (local.get $mr))) (f64x2.mul (local.get $sim) (local.get $mi))))
                (local.set $accI4 (f64x2.add (f64x2.add (local.get $accI4) (f64x2.mul (local.get $sre) (local.get $mi))) (f64x2.mul (local.get $sim) (local.get $mr))))
                (local.set $p (i32.add (local.get $p) (local.get $rowT)))
                (local.set $q (i32.add (local.get $q) (i32.const 16)))
                (local.set $t (i32.add (local.get $t) (i32.const 1)))
                (br $tLoop))))
            (else (if (i32.gt_u (local.get $K) (i32.add (local.get $kb) (i32.const 2)))
            (then ;; four kernels
              (block $tDone (loop $tLoop
                (br_if $tDone (i32.gt_s (local.get $t) (local.get $t1)))
                (local.set $sre (v128.load64_splat (local.get $q)))
                (local.set $sim (v128.load64_splat offset=8 (local.get $q)))
                (local.set $mr (v128.load (local.get $p)))
                (local.set $mi (v128.load (i32.add (local.get $p) (local.get $reIm))))
                (local.set $accR (f64x2.sub (f64x2.add (local.get $accR) (f64x2.mul (local.get $sre) (local.get $mr))) (f64x2.mul (local.get $sim) (local.get $mi))))
                (local.set $accI (f64x2.add (f64x2.add (local.get $accI) (f64x2.mul (local.get $sre) (local.get $mi))) (f64x2.mul (local.get $sim) (local.get $mr))))
                (local.set $mr (v128.load offset=16 (local.get $p)))
                (local.set $mi (v128.load offset=16 (i32.add (local.get $p) (local.get $reIm))))
                (local.set $accR2 (f64x2.sub (f64x2.add (local.get $accR2) (f64x2.mul (local.get $sre) (local.get $mr))) (f64x2.mul (local.get $sim) (local.get $mi))))
                (local.set $accI2 (f64x2.add (f64x2.add (local.get $accI2) (f64x2.mul (local.get $sre) (local.get $mi))) (f64x2.mul (local.get $sim) (local.get $mr))))
                (local.set $p (i32.add (local.get $p) (local.get $rowT)))
                (local.set $q (i32.add (local.get $q) (i32.const 16)))
                (local.set $t (i32.add (local.get $t) (i32.const 1)))
                (br $tLoop))))
            (else ;; one or two kernels (the real-space M22)
              (block $tDone (loop $tLoop
                (br_if $tDone (i32.gt_s (local.get $t) (local.get $t1)))
                (local.set $sre (v128.load64_splat (local.get $q)))
                (local.set $sim (v128.load64_splat offset=8 (local.get $q)))
                (local.set $mr (v128.load (local.get $p)))
                (local.set $mi (v128.load (i32.add (local.get $p) (local.get $reIm))))
                (local.set $accR (f64x2.sub (f64x2.add (local.get $accR) (f64x2.mul (local.get $sre) (local.get $mr))) (f64x2.mul (local.get $sim) (local.get $mi))))
                (local.set $accI (f64x2.add (f64x2.add (local.get $accI) (f64x2.mul (local.get $sre) (local.get $mi))) (f64x2.mul (local.get $sim) (local.get $mr))))
                (local.set $p (i32.add (local.get $p) (local.get $rowT)))
                (local.set $q (i32.add (local.get $q) (i32.const 16)))
                (local.set $t (i32.add (local.get $t) (i32.const 1)))
                (br $tLoop)))))))
          ;; the lanes kb .. kb + 7 that are real kernels (k < K; the unused accumulators are zero)
          (call $add64x2 (local.get $o) (local.get $k) (local.get $hk) (i32.sub (local.get $K) (local.get $kb)) (local.get $accR) (local.get $accI))
          (call $add64x2 (i32.add (local.get $o) (i32.shl (local.get $k) (i32.const 1))) (local.get $k) (local.get $hk)
            (i32.sub (local.get $K) (i32.add (local.get $kb) (i32.const 2))) (local.get $accR2) (local.get $accI2))
          (if (i32.gt_u (local.get $K) (i32.add (local.get $kb) (i32.const 4)))
            (then
              (call $add64x2 (i32.add (local.get $o) (i32.shl (local.get $k) (i32.const 2))) (local.get $k) (local.get $hk)
                (i32.sub (local.get $K) (i32.add (local.get $kb) (i32.const 4))) (local.get $accR3) (local.get $accI3))
              (call $add64x2 (i32.add (local.get $o) (i32.mul (local.get $k) (i32.const 6))) (local.get $k) (local.get $hk)
                (i32.sub (local.get $K) (i32.add (local.get $kb) (i32.const 6))) (local.get $accR4) (local.get $accI4))
              (local.set $o (i32.add (local.get $o) (i32.shl (local.get $k) (i32.const 3))))
              (local.set $kb (i32.add (local.get $kb) (i32.const 8))))
            (else
              (local.set $o (i32.add (local.get $o) (i32.shl (local.get $k) (i32.const 2))))
              (local.set $kb (i32.add (local.get $kb) (i32.const 4)))))
          (br $kLoop)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $bLoop)))
      (local.set $s (i32.add (local.get $s) (i32.const 1)))
      (br $sLoop))))

  ;; The Gauss-Legendre sums of ../redshift/ap-projection.ts legendreSums in float64: for each of
  ;; the R rows of x [R, G] (float32), out[r, l] = sum_g x[r, g] w[g, l] for l = 0, 2, 4, with the
  ;; weights w [G, 3] in float64 and the sums accumulated in float64, rounded to float32 once.
  (func (export "legendreSums") (param $x i32) (param $w i32) (param $out i32) (param $R i32) (param $G i32)
    (local $r i32) (local $g i32) (local $p i32) (local $q i32) (local $v f64)
    (local $s0 f64) (local $s2 f64) (local $s4 f64)
    (local.set $p (local.get $x))
    (local.set $r (i32.const 0))
    (block $rDone (loop $rLoop
      (br_if $rDone (i32.ge_u (local.get $r) (local.get $R)))
      (local.set $s0 (f64.const 0))
      (local.set $s2 (f64.const 0))
      (local.set $s4 (f64.const 0))
      (local.set $q (local.get $w))
      (local.set $g (i32.const 0))
      (block $gDone (loop $gLoop
        (br_if $gDone (i32.ge_u (local.get $g) (local.get $G)))
        (local.set $v (f64.promote_f32 (f32.load (local.get $p))))
        (local.set $s0 (f64.add (local.get $s0) (f64.mul (local.get $v) (f64.load (local.get $q)))))
        (local.set $s2 (f64.add (local.get $s2) (f64.mul (local.get $v) (f64.load offset=8 (local.get $q)))))
        (local.set $s4 (f64.add (local.get $s4) (f64.mul (local.get $v) (f64.load offset=16 (local.get $q)))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $q (i32.add (local.get $q) (i32.const 24)))
        (local.set $g (i32.add (local.get $g) (i32.const 1)))
        (br $gLoop)))
      (f32.store (local.get $out) (f32.demote_f64 (local.get $s0)))
      (f32.store offset=4 (local.get $out) (f32.demote_f64 (local.get $s2)))
      (f32.store offset=8 (local.get $out) (f32.demote_f64 (local.get $s4)))
      (local.set $out (i32.add (local.get $out) (i32.const 12)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rLoop))))
)
