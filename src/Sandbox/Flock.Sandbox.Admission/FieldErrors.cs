namespace Flock.Sandbox.Admission;

/// <summary>Operations on error lists that mirror field.ErrorList.</summary>
public static class FieldErrors
{
    /// <summary>
    /// ErrorList.ToAggregate().Error(): duplicates (same text) dropped, one error bare, several as "[a, b]".
    /// </summary>
    public static string Aggregate(IEnumerable<FieldError> errors)
    {
        var messages = errors.Select(e => e.ToString()).Distinct(StringComparer.Ordinal).ToList();
        return messages.Count switch
        {
            0 => string.Empty,
            1 => messages[0],
            _ => "[" + string.Join(", ", messages) + "]",
        };
    }
}
