# Regenerates reference-all-dtypes.safetensors with the Python reference implementation
# (pip package safetensors 0.8.0, numpy backend). SafeTensorsReferenceTest checks that jcipa reads
# these values and that its writer, given the same tensors in the same order, writes the same bytes.
import numpy as np
from safetensors.numpy import save_file

tensors = {
    "a_f64": np.array([[1.5, -0.0, 1e300], [-2.25, 5e-324, 3.0]], dtype="<f8"),
    "b_i64": np.array([-9223372036854775808, -1, 0, 9223372036854775807], dtype="<i8"),
    "c_u64": np.array([0, 1, 9223372036854775807], dtype="<u8"),
    "d_f32": np.array([[[1.0, -2.5]], [[3.4028235e38, 1e-45]]], dtype="<f4"),
    "e_i32": np.array([-2147483648, -7, 2147483647], dtype="<i4"),
    "f_u32": np.array([0, 4294967295], dtype="<u4"),
    "g_scalar_f32": np.array(0.1, dtype="<f4"),
    "h_f16": np.array([1.0, -2.0, 65504.0, 2.0**-24, np.inf], dtype="<f2"),
    "i_i16": np.array([-32768, 32767, -1], dtype="<i2"),
    "j_u16": np.array([65535, 0, 1], dtype="<u2"),
    "k_bool": np.array([True, False, True], dtype=bool),
    "l_i8": np.array([-128, 127, -1], dtype="<i1"),
    "m_u8": np.array([[0, 255], [128, 7]], dtype="<u1"),
    "n_empty_f32": np.zeros((2, 0), dtype="<f4"),
}
save_file(tensors, "reference-all-dtypes.safetensors", metadata={"made_by": "safetensors 0.8.0", "unicode": "µ→∑"})
