namespace Flock.Sandbox.Admission;

/// <summary>The JSON kinds the apiserver distinguishes after decoding a body into Go values.</summary>
/// <remarks>
/// Go's decoder (k8s.io/apimachinery/pkg/util/json) turns a number into int64 when its text has no
/// fraction or exponent and fits, and into float64 otherwise; validation depends on that split
/// (type checks, bad-value printing, set uniqueness), so it is modelled here rather than "number".
/// </remarks>
public enum JsonKind
{
    Null,
    Object,
    Array,
    String,
    Integer,
    Float,
    Boolean,
}
