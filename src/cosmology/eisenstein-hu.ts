/**
 * Eisenstein & Hu 1998 (ApJ 496, 605; "EH98") transfer function with baryon acoustic
 * oscillations, eqs. (2)-(24), k in 1/Mpc. Used as the physical baseline of the linear-P(k)
 * emulator (the network learns log P_CLASS - log P_baseline), and its sound horizon s
 * (eq. 6) as the baseline of r_s,drag. T_cmb = 2.7255 K (CLASS's default).
 */
import type { Ops, Val } from './ops';

export const T_CMB_K = 2.7255;

/** EH98 eqs. (2)-(6): equality, drag epoch, R at both, and the sound horizon s (Mpc). */
export function ehScales<T>(o: Ops<T>, wb: Val<T>, wm: Val<T>) {
  const th = T_CMB_K / 2.7;
  const th4 = Math.pow(th, -4);
  const zeq = o.mul(2.5e4 * th4, wm); // eq. (2)
  const keq = o.mul(7.46e-2 / (th * th), wm); // eq. (3), 1/Mpc
  // eq. (4): drag redshift
  const b1 = o.mul(o.mul(0.313, o.pow(wm, -0.419)), o.add(1, o.mul(0.607, o.pow(wm, 0.674))));
  const b2 = o.mul(0.238, o.pow(wm, 0.223));
  const zd = o.mul(o.div(o.mul(1291, o.pow(wm, 0.251)), o.add(1, o.mul(0.659, o.pow(wm, 0.828)))), o.add(1, o.mul(b1, o.pow(wb, b2))));
  // eq. (5): baryon-to-photon momentum ratio R(z) = 31.5 omega_b theta^-4 (z/10^3)^-1
  const R = (z: T) => o.div(o.mul(31.5 * th4 * 1e3, wb), z);
  const Rd = R(zd);
  const Req = R(zeq);
  // eq. (6): sound horizon
  const s = o.mul(
    o.mul(o.div(2 / 3, keq), o.sqrt(o.div(6, Req))),
    o.log(o.div(o.add(o.sqrt(o.add(1, Rd)), o.sqrt(o.add(Rd, Req))), o.add(1, o.sqrt(Req)))),
  );
  return { th, th4, zeq, keq, zd, Rd, Req, s };
}

/**
 * EH98 T(k) for physical densities `wb` (omega_b) and `wm` (omega_b + omega_c of the species
 * the transfer function describes). Shapes broadcast (e.g. densities [B, 1], k [1, nK]). Returns T(k) and the
 * sound horizon at the drag epoch s (eq. 6, Mpc).
 */
export function ehTransfer<T>(o: Ops<T>, k: Val<T>, wb: Val<T>, wm: Val<T>, scales?: ReturnType<typeof ehScales<T>>): { T: T; s: T } {
  return { T: ehTransferAt(o, k, ehCoefficients(o, wb, wm, scales)), s: (scales ?? ehScales(o, wb, wm)).s };
}

/** The k-independent coefficients of EH98's T(k) (eqs. 7, 11-12, 14-15, 21-24). */
export function ehCoefficients<T>(o: Ops<T>, wb: Val<T>, wm: Val<T>, scales?: ReturnType<typeof ehScales<T>>) {
  const { zeq, keq, zd, Rd, s } = scales ?? ehScales(o, wb, wm);
  const fb = o.div(wb, wm);
  const fc = o.sub(1, fb);
  // eq. (7): Silk scale
  const ksilk = o.mul(o.mul(1.6, o.mul(o.pow(wb, 0.52), o.pow(wm, 0.73))), o.add(1, o.pow(o.mul(10.4, wm), -0.95)));
  // eqs. (11)-(12): CDM suppression
  const a1 = o.mul(o.pow(o.mul(46.9, wm), 0.67), o.add(1, o.pow(o.mul(32.1, wm), -0.532)));
  const a2 = o.mul(o.pow(o.mul(12.0, wm), 0.424), o.add(1, o.pow(o.mul(45.0, wm), -0.582)));
  const alphaC = o.mul(o.pow(a1, o.sub(0, fb)), o.pow(a2, o.sub(0, o.mul(fb, o.mul(fb, fb)))));
  const bb1 = o.div(0.944, o.add(1, o.pow(o.mul(458, wm), -0.708)));
  const bb2 = o.pow(o.mul(0.395, wm), -0.0266);
  const betaC = o.div(1, o.add(1, o.mul(bb1, o.sub(o.pow(fc, bb2), 1))));
  // eqs. (14)-(15), (21)-(24): baryon part
  const y = o.div(o.add(1, zeq), o.add(1, zd));
  const sy = o.sqrt(o.add(1, y));
  const G = o.mul(y, o.add(o.mul(-6, sy), o.mul(o.add(2, o.mul(3, y)), o.log(o.div(o.add(sy, 1), o.sub(sy, 1))))));
  const alphaB = o.mul(o.mul(o.mul(2.07, keq), s), o.mul(o.pow(o.add(1, Rd), -0.75), G));
  const betaNode = o.mul(8.41, o.pow(wm, 0.435));
  const betaB = o.add(o.add(0.5, fb), o.mul(o.sub(3, o.mul(2, fb)), o.sqrt(o.add(o.mul(o.mul(17.2, wm), o.mul(17.2, wm)), 1))));
  return { fb, fc, keq, s, ksilk, alphaC, betaC, alphaB, betaNode, betaB };
}

/** EH98 T(k) from the coefficients (eqs. 10, 17-24). */
export function ehTransferAt<T>(o: Ops<T>, k: Val<T>, c: ReturnType<typeof ehCoefficients<T>>): T {
  const { fb, fc, keq, s, ksilk, alphaC, betaC, alphaB, betaNode, betaB } = c;
  const q = o.div(k, o.mul(13.41, keq)); // eq. (10)
  // eqs. (19)-(20)
  const T0 = (alpha: Val<T>, beta: Val<T>) => {
    const L = o.log(o.add(Math.E, o.mul(o.mul(1.8, beta), q)));
    const C = o.add(o.div(14.2, alpha), o.div(386, o.add(1, o.mul(69.9, o.pow(q, 1.08)))));
    return o.div(L, o.add(L, o.mul(C, o.mul(q, q))));
  };
  const ks = o.mul(k, s);
  // eqs. (17)-(18): CDM part
  const f = o.div(1, o.add(1, o.pow(o.div(ks, 5.4), 4)));
  const Tc = o.add(o.mul(f, T0(1, betaC)), o.mul(o.sub(1, f), T0(alphaC, betaC)));
  // eqs. (21)-(22): baryon part
  const sTilde = o.div(s, o.pow(o.add(1, o.pow(o.div(betaNode, ks), 3)), 1 / 3));
  const x = o.mul(k, sTilde);
  const j0 = o.div(o.sin(x), x);
  const Tb = o.mul(
    o.add(
      o.div(T0(1, 1), o.add(1, o.pow(o.div(ks, 5.2), 2))),
      o.mul(o.div(alphaB, o.add(1, o.pow(o.div(betaB, ks), 3))), o.exp(o.sub(0, o.pow(o.div(k, ksilk), 1.4)))),
    ),
    j0,
  );
  return o.add(o.mul(fb, Tb), o.mul(fc, Tc));
}
