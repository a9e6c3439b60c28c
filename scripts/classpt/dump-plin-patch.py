#!/usr/bin/env python3
"""Local-only instrumentation of a CLASS-PT checkout (idempotent): with NLPT_DUMP_PLIN=FILE set,
every z of nonlinear_pt_init appends one JSON line to FILE with what nonlinear_pt_loop is fed:
z, f, hratio, Dratio, the k grid (1/Mpc) and P_L(k, z) (Mpc^3) after CLASS-PT's own time
interpolation. Apply to a CLASS-PT copy built with ../shared/tools/build-classpt.sh, then rebuild
(`make class libclass.a && cd python && python3 setup.py build_ext --inplace`). This script carries
no CLASS-PT code; never commit a patched CLASS-PT.
usage: dump-plin-patch.py CLASS-PT/source/nonlinear_pt.c
"""
import sys
p = sys.argv[1]
s = open(p).read()
if "NLPT_DUMP_PLIN" in s:
    print("already patched"); sys.exit(0)
anchor = "                pk_l_at_z_req[index_k] = exp(ln_pk_l_at_z_req[index_k]);\n"
assert s.count(anchor) == 1, "anchor not found"
i = s.index(anchor) + len(anchor)
# the end of that for loop: the next line holding only a closing brace at loop indentation
j = s.index("            }\n", i) + len("            }\n")
dump = r'''
            {
                const char *_dump_path_ = getenv("NLPT_DUMP_PLIN");
                if (_dump_path_ != NULL && _dump_path_[0] != '\0') {
                    FILE *_df_ = fopen(_dump_path_, "a");
                    if (_df_) {
                        int _i_;
                        fprintf(_df_, "{\"z\": %.17g, \"f\": %.17g, \"hratio\": %.17g, \"Dratio\": %.17g, \"k_Mpc\": [",
                                pnlpt->z_pk[i_z], pnlpt->growthf[i_z], pnlpt->hratio_array[i_z], pnlpt->Dratio_array[i_z]);
                        for (_i_ = 0; _i_ < pnlpt->k_size; _i_++) fprintf(_df_, "%s%.17g", _i_ ? ", " : "", pnlpt->k[_i_]);
                        fprintf(_df_, "], \"pk_Mpc3\": [");
                        for (_i_ = 0; _i_ < pnlpt->k_size; _i_++) fprintf(_df_, "%s%.17g", _i_ ? ", " : "", pk_l_at_z_req[_i_]);
                        fprintf(_df_, "]}\n");
                        fclose(_df_);
                    }
                }
            }
'''
s = s[:j] + dump + s[j:]
if "#include <stdlib.h>" not in s:
    s = s.replace("#include <time.h>\n", "#include <time.h>\n#include <stdlib.h>\n", 1)
open(p, "w").write(s)
print("patched", p)
