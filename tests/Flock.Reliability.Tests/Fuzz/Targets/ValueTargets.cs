using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using CsCheck;
using Flock.Akash.Chain;
using Flock.Akash.Crypto;
using Flock.Operator.FlockTasks;

namespace Flock.Reliability.Tests.Fuzz.Targets;

/// <summary>
/// The small parsers of outside values: FLock task bodies, LegacyDec amounts and bech32 addresses. None may throw
/// anything but its documented error, and what they accept must mean what it says.
/// </summary>
public static class ValueTargets
{
    private static Gen<string> Pick(params string[] choices) => Gen.Int[0, choices.Length - 1].Select(i => choices[i]);

    // ---- FLock task bodies ------------------------------------------------------------------------------

    private static readonly string[] TaskKeys = ["id", "title", "status", "submission_phase_ends_at", "final_validation_ends_at", "data", "max_params", "context_length", "task_type", "detail"];

    private static readonly Gen<JsonNode?> Scalar = Gen.Frequency(
        (4, Gen.Long[-3, 20].Select(n => (JsonNode?)JsonValue.Create(n))),
        (1, Pick("12", "-1", "0", "9223372036854775807", "9223372036854775808", "1e400", "12.0", "-0", "3000000000", "1.5e-7")
            .Select(n => JsonNode.Parse(n))),
        (3, Pick("submission_phase", "final_validation", "completed", "", "2030-01-01T00:00:00", "2030-13-45T99:00:00", "2030-01-01", "yesterday",
            "2030-01-01T00:00:00+14:00", "9999-12-31T23:59:59", "0001-01-01T00:00:00", "\u0000", "\ud83d\udca5").Select(s => (JsonNode?)JsonValue.Create(s))),
        (1, Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b))),
        (1, Gen.Const((JsonNode?)null)));

    private static readonly Gen<JsonNode?> Json = Gen.Recursive<JsonNode?>((depth, self) => depth >= 3
        ? Scalar
        : Gen.Frequency(
            (3, Scalar),
            (2, Gen.Select(Pick(TaskKeys), self).Array[0, 6].Select(members =>
            {
                var o = new JsonObject();
                foreach (var (key, value) in members) o[key] = value?.DeepClone();
                return (JsonNode?)o;
            })),
            (1, self.Array[0, 3].Select(items => (JsonNode?)new JsonArray(items.Select(i => i?.DeepClone()).ToArray())))));

    private static readonly string ValidTask =
        "{\"id\": 12, \"title\": \"Arena\", \"status\": \"submission_phase\", \"submission_phase_ends_at\": \"2030-01-01T00:00:00\", " +
        "\"final_validation_ends_at\": \"2030-01-02T00:00:00\", \"data\": {\"max_params\": 7000000000, \"context_length\": 2048}}";

    // Generated trees with the right id half the time (so parsing gets past it), mutated valid bodies, and noise.
    private static readonly Gen<string> TaskBodies = Gen.Frequency(
        (4, Gen.Select(Json, Gen.Bool).Select((json, withId) =>
        {
            if (withId && json is JsonObject o && !o.ContainsKey("id")) o["id"] = 12;
            return json?.ToJsonString() ?? "null";
        })),
        (4, TextMutation.Of([ValidTask])),
        (1, Gen.String[0, 40]));

    public static IFuzzTarget FlockTasks => new FuzzTarget<string>("FlockTaskParser on generated and mutated bodies", TaskBodies, body =>
    {
        FlockTask task;
        try
        {
            task = FlockTaskParser.Parse(body, 12);
        }
        catch (FlockApiException e) when (e.Error == FlockApiError.Malformed && e.Message.Contains("task 12", StringComparison.Ordinal) && e.Message.Length < 400)
        {
            return false;
        }

        if (task.Id != 12 || task.Status is null || task.ContextLength < 0 || task.MaxParams < 0)
        {
            throw new FuzzFailure($"accepted a task with id {task.Id}, status {task.Status}, context {task.ContextLength}, max params {task.MaxParams}");
        }

        return true;
    }, b => b);

    // ---- LegacyDec ---------------------------------------------------------------------------------------

    private static readonly Gen<string> DecimalText = Gen.Frequency(
        (3, Gen.Select(Gen.Char["0123456789"].Array[1, 30], Gen.Char["0123456789"].Array[0, 18], Gen.Bool)
            .Select((w, f, dot) => new string(w) + (dot && f.Length > 0 ? "." + new string(f) : ""))),
        (2, Gen.Char["0123456789.-+eE ,_x\u0660\uff11"].Array[0, 25].Select(c => new string(c))),
        (1, Pick("", "0", ".5", "5.", "-0", "1e18", "NaN", "Infinity", "1.0000000000000000001", new string('9', 100), "0.000000000000000001", "00012.3400")));

    public static IFuzzTarget LegacyDecs => new FuzzTarget<string>("LegacyDec.ToWire/FromWire on decimal-ish text", DecimalText, text =>
    {
        string? wire = null;
        try
        {
            wire = LegacyDec.ToWire(text);
        }
        catch (FormatException e) when (e.Message.Contains('\'' + text + '\'', StringComparison.Ordinal))
        {
        }

        if (wire is not null)
        {
            // Accepted: the wire form is 10^18 × the value, and reading it back gives the same number.
            var back = LegacyDec.FromWire(wire);
            if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) && decimal.Parse(back, CultureInfo.InvariantCulture) != d)
            {
                throw new FuzzFailure($"'{text}' → wire {wire} → '{back}'");
            }

            if (LegacyDec.ToWire(back) != wire) throw new FuzzFailure($"'{text}' → '{back}' does not give the wire form {wire} again");
        }

        try
        {
            var shown = LegacyDec.FromWire(text);
            var expected = BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
            if (LegacyDec.ToWire(shown) != expected) throw new FuzzFailure($"wire '{text}' shows as '{shown}', which does not go back to {expected}");
        }
        catch (FormatException e) when (e.Message.Contains('\'' + text + '\'', StringComparison.Ordinal))
        {
        }

        return wire is not null;
    }, t => $"'{t}'");

    // ---- bech32 --------------------------------------------------------------------------------------------

    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

    private static readonly Gen<(string Text, byte[] Data)> Addresses =
        Gen.Byte.Array[20, 32].Select(data => (Bech32.Encode("akash", data), data));

    // A valid address with one character changed (bech32's checksum detects every single substitution), or noise.
    private static readonly Gen<(string Text, byte[]? Data, bool OneEdit)> Bech32Inputs = Gen.Frequency(
        (2, Addresses.Select(a => (a.Text, (byte[]?)a.Data, false))),
        (4, Gen.Select(Addresses, Gen.Int[0, 100], Gen.Char[Charset + "1bio"]).Select((a, at, c) =>
        {
            var i = 6 + at % (a.Text.Length - 6);
            return (a.Text[..i] + c + a.Text[(i + 1)..], a.Text[i] == c ? (byte[]?)a.Data : null, a.Text[i] != c);
        })),
        (2, Gen.Char[Charset + "1AKASHbio \u00e9"].Array[0, 95].Select(c => (new string(c), (byte[]?)null, false))),
        (1, Addresses.Select(a => (a.Text.ToUpperInvariant(), (byte[]?)a.Data, false))),
        (1, Addresses.Select(a => (a.Text[..(a.Text.Length / 2)] + a.Text[(a.Text.Length / 2)..].ToUpperInvariant(), (byte[]?)null, false))));

    public static IFuzzTarget Bech32Addresses => new FuzzTarget<(string Text, byte[]? Data, bool OneEdit)>("Bech32.TryDecode on addresses, one-character edits and noise", Bech32Inputs, input =>
    {
        var ok = Bech32.TryDecode(input.Text, out var hrp, out var data);
        if (input.Data is { } expected && (!ok || hrp != "akash" || !data.SequenceEqual(expected)))
        {
            throw new FuzzFailure($"a valid address did not decode to its bytes (ok={ok}, hrp={hrp})");
        }

        if (input.OneEdit && ok) throw new FuzzFailure("a one-character edit still decodes");
        if (input.Text.Any(char.IsLower) && input.Text.Any(char.IsUpper) && ok) throw new FuzzFailure("mixed case decodes");
        return ok;
    }, i => i.Text);
}
