namespace Flock.Sandbox.Patching;

/// <summary>
/// A patch could not be decoded or applied. <see cref="StatusCode"/> is the HTTP status the
/// apiserver answers with for the same failure (400 for a malformed patch, 422 for a patch that
/// does not apply, 415 for an unsupported patch type); <see cref="Message"/> follows its wording.
/// </summary>
public sealed class PatchException : Exception
{
    public PatchException(string message, int statusCode = 422) : base(message) => StatusCode = statusCode;

    public PatchException(string message, int statusCode, Exception inner) : base(message, inner) => StatusCode = statusCode;

    public int StatusCode { get; }
}
