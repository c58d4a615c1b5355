;; Copies of 4-byte values (float32, int32) on tfjs-backend-wasm's own heap (imported memory; pointers are byte
;; offsets, counts and strides are in values). tfjs-backend-wasm 4.22's Transpose moves one value per iteration
;; through index arithmetic (~0.9-2.6 ns a value), and a slice cut from JS pays per run of values; these loops
;; move four values per v128 load and store.
(module
  (import "env" "memory" (memory 1))

  ;; dst[b][c][r] = src[b][r][c] for `batch` matrices of rows × cols: 4 × 4 tiles transposed in registers
  ;; (two rounds of shuffles), the ragged right and bottom edges one value at a time.
  (func (export "transpose")
    (param $src i32) (param $dst i32) (param $batch i32) (param $rows i32) (param $cols i32)
    (local $b i32) (local $r i32) (local $c i32) (local $r4 i32) (local $c4 i32)
    (local $s i32) (local $d i32) (local $rowBytes i32) (local $colBytes i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $r4 (i32.and (local.get $rows) (i32.const -4)))
    (local.set $c4 (i32.and (local.get $cols) (i32.const -4)))
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $colBytes (i32.shl (local.get $rows) (i32.const 2)))
    (local.set $b (i32.const 0))
    (block $bDone (loop $bLoop
      (br_if $bDone (i32.ge_u (local.get $b) (local.get $batch)))
      ;; Bands of four rows, read left to right: four sequential streams, which the prefetcher keeps up with
      ;; (blocks of 16 columns, 64 streams, were 40 % slower on a dense layer's weights).
      (local.set $r (i32.const 0))
      (block $rDone (loop $rLoop
        (br_if $rDone (i32.ge_u (local.get $r) (local.get $r4)))
        (local.set $c (i32.const 0))
        (block $cDone (loop $cLoop
          (br_if $cDone (i32.ge_u (local.get $c) (local.get $c4)))
          ;; s = &src[r][c], d = &dst[c][r]
          (local.set $s (i32.add (local.get $src)
            (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c)) (i32.const 2))))
          (local.set $d (i32.add (local.get $dst)
            (i32.shl (i32.add (i32.mul (local.get $c) (local.get $rows)) (local.get $r)) (i32.const 2))))
          (local.set $a0 (v128.load align=4 (local.get $s)))
          (local.set $a1 (v128.load align=4 (i32.add (local.get $s) (local.get $rowBytes))))
          (local.set $a2 (v128.load align=4 (i32.add (local.get $s) (i32.shl (local.get $rowBytes) (i32.const 1)))))
          (local.set $a3 (v128.load align=4 (i32.add (local.get $s) (i32.mul (local.get $rowBytes) (i32.const 3)))))
          ;; t0 = a0[0] a1[0] a0[1] a1[1], t1 = a0[2] a1[2] a0[3] a1[3], t2/t3 the same of a2, a3
          (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a0) (local.get $a1)))
          (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a0) (local.get $a1)))
          (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a2) (local.get $a3)))
          (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a2) (local.get $a3)))
          ;; column k of the tile: the low or high halves of t0/t2 (k = 0, 1) or t1/t3 (k = 2, 3)
          (v128.store align=4 (local.get $d)
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
          (v128.store align=4 (i32.add (local.get $d) (local.get $colBytes))
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
          (v128.store align=4 (i32.add (local.get $d) (i32.shl (local.get $colBytes) (i32.const 1)))
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
          (v128.store align=4 (i32.add (local.get $d) (i32.mul (local.get $colBytes) (i32.const 3)))
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
          (local.set $c (i32.add (local.get $c) (i32.const 4)))
          (br $cLoop)))
        ;; The band's last cols % 4 columns.
        (call $edge (local.get $src) (local.get $dst) (local.get $rows) (local.get $cols)
          (local.get $r) (i32.add (local.get $r) (i32.const 4)) (local.get $c4))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $rLoop)))
      ;; The last rows % 4 rows, every column.
      (call $edge (local.get $src) (local.get $dst) (local.get $rows) (local.get $cols)
        (local.get $r4) (local.get $rows) (i32.const 0))
      (local.set $src (i32.add (local.get $src) (i32.mul (local.get $rowBytes) (local.get $rows))))
      (local.set $dst (i32.add (local.get $dst) (i32.mul (local.get $rowBytes) (local.get $rows))))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bLoop))))

  ;; dst[c][r] = src[r][c] for r in [r0, r1), c in [c0, cols), one value at a time.
  (func $edge
    (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32)
    (param $r0 i32) (param $r1 i32) (param $c0 i32)
    (local $r i32) (local $c i32)
    (local.set $r (local.get $r0))
    (block $rDone (loop $rLoop
      (br_if $rDone (i32.ge_u (local.get $r) (local.get $r1)))
      (local.set $c (local.get $c0))
      (block $cDone (loop $cLoop
        (br_if $cDone (i32.ge_u (local.get $c) (local.get $cols)))
        (i32.store
          (i32.add (local.get $dst)
            (i32.shl (i32.add (i32.mul (local.get $c) (local.get $rows)) (local.get $r)) (i32.const 2)))
          (i32.load
            (i32.add (local.get $src)
              (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c)) (i32.const 2)))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $cLoop)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rLoop))))

  ;; Packs a strided box into dst: for p < planes, q < rows, the run of `run` values that starts
  ;; p * planeStride + q * rowStride values after src, one run after another.
  (func (export "copyBox")
    (param $src i32) (param $dst i32) (param $planes i32) (param $planeStride i32)
    (param $rows i32) (param $rowStride i32) (param $run i32)
    (local $p i32) (local $q i32) (local $s i32) (local $end i32) (local $end4 i32) (local $plane i32)
    (local.set $p (i32.const 0))
    (block $pDone (loop $pLoop
      (br_if $pDone (i32.ge_u (local.get $p) (local.get $planes)))
      (local.set $plane (i32.add (local.get $src)
        (i32.shl (i32.mul (local.get $p) (local.get $planeStride)) (i32.const 2))))
      (local.set $q (i32.const 0))
      (block $qDone (loop $qLoop
        (br_if $qDone (i32.ge_u (local.get $q) (local.get $rows)))
        (local.set $s (i32.add (local.get $plane)
          (i32.shl (i32.mul (local.get $q) (local.get $rowStride)) (i32.const 2))))
        (local.set $end (i32.add (local.get $s) (i32.shl (local.get $run) (i32.const 2))))
        (local.set $end4 (i32.sub (local.get $end) (i32.const 12)))
        ;; Four values at a time while at least four are left, then one at a time.
        (block $vDone (loop $vLoop
          (br_if $vDone (i32.ge_u (local.get $s) (local.get $end4)))
          (v128.store align=4 (local.get $dst) (v128.load align=4 (local.get $s)))
          (local.set $s (i32.add (local.get $s) (i32.const 16)))
          (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
          (br $vLoop)))
        (block $sDone (loop $sLoop
          (br_if $sDone (i32.ge_u (local.get $s) (local.get $end)))
          (i32.store (local.get $dst) (i32.load (local.get $s)))
          (local.set $s (i32.add (local.get $s) (i32.const 4)))
          (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
          (br $sLoop)))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $qLoop)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $pLoop))))
)
