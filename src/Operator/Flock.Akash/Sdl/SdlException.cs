namespace Flock.Akash.Sdl;

/// <summary>One problem in an SDL, with the path of the offending node (e.g. /profiles/compute/web/resources/cpu).</summary>
/// <param name="Path">JSON-pointer style path into the SDL.</param>
/// <param name="Message">What is wrong.</param>
public sealed record SdlError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>The SDL is not valid; <see cref="Errors"/> lists every problem found.</summary>
public sealed class SdlException : Exception
{
    public SdlException(IReadOnlyList<SdlError> errors)
        : base("Invalid SDL: " + string.Join("; ", errors))
    {
        Errors = errors;
    }

    public SdlException()
        : this([])
    {
    }

    public SdlException(string message)
        : base(message)
    {
        Errors = [new SdlError("/", message)];
    }

    public SdlException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [new SdlError("/", message)];
    }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<SdlError> Errors { get; } = [];
}
