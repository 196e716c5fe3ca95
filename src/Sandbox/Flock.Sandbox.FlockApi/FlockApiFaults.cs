namespace Flock.Sandbox.FlockApi;

/// <summary>What the simulator does wrong on purpose: failures, rate limits, latency, broken bodies.</summary>
public sealed class FlockApiFaults
{
    private readonly Lock _lock = new();
    private int _failuresLeft;
    private int _failureCode = 503;
    private int _malformedLeft;
    private MalformedKind _malformed;
    private readonly Queue<RawAnswer> _raw = new();

    /// <summary>Delay before every answer (a timeout test sets it above the client's timeout).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Seconds of Retry-After on 429 answers.</summary>
    public int RetryAfterSeconds { get; set; } = 2;

    /// <summary>The next <paramref name="count"/> API requests fail with <paramref name="statusCode"/> (429 carries Retry-After).</summary>
    public void FailNext(int count, int statusCode)
    {
        lock (_lock)
        {
            _failuresLeft = count;
            _failureCode = statusCode;
        }
    }

    /// <summary>Every request fails until <see cref="Reset"/> (the API is down).</summary>
    public void FailAll(int statusCode) => FailNext(int.MaxValue, statusCode);

    /// <summary>The next task answers are broken in the given way.</summary>
    public void MalformNext(int count, MalformedKind kind)
    {
        lock (_lock)
        {
            _malformedLeft = count;
            _malformed = kind;
        }
    }

    /// <summary>
    /// The next task answer is exactly this (status, headers, body bytes), whatever the task: a proxy's HTML page,
    /// a truncated body, a wrong status code. Answers queue up and are served in order, one per request.
    /// </summary>
    public void AnswerNext(RawAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        lock (_lock)
        {
            _raw.Enqueue(answer);
        }
    }

    public void Reset()
    {
        lock (_lock)
        {
            _failuresLeft = 0;
            _malformedLeft = 0;
            _raw.Clear();
        }

        Latency = TimeSpan.Zero;
    }

    internal int? TakeFailure()
    {
        lock (_lock)
        {
            if (_failuresLeft <= 0) return null;
            if (_failuresLeft != int.MaxValue) _failuresLeft--;
            return _failureCode;
        }
    }

    internal RawAnswer? TakeRawAnswer()
    {
        lock (_lock)
        {
            return _raw.TryDequeue(out var answer) ? answer : null;
        }
    }

    internal MalformedKind? TakeMalformed()
    {
        lock (_lock)
        {
            if (_malformedLeft <= 0) return null;
            _malformedLeft--;
            return _malformed;
        }
    }
}

public enum MalformedKind
{
    /// <summary>The body is not JSON at all.</summary>
    NotJson,

    /// <summary>Valid JSON whose fields have the wrong types (max_params as text, id as text).</summary>
    WrongTypes,

    /// <summary>Valid JSON without the fields a task has.</summary>
    MissingFields,
}

/// <summary>An answer served as it is: status code, body and headers (Content-Type among them).</summary>
public sealed record RawAnswer(int StatusCode, string Body, string ContentType = "application/json")
{
    /// <summary>More response headers (Retry-After, …).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
}
