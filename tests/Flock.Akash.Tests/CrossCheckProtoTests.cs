using System.Collections;
using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Flock.Akash.Tests;

/// <summary>
/// Every message of our .proto files against chain-sdk's generated codecs (ts-proto from the real Akash and
/// Cosmos protos): each message is filled with distinct values in every field, encoded by us, decoded and
/// re-encoded by chain-sdk, and the bytes must survive unchanged (a field number or type chain-sdk does not
/// share is dropped on decode); the proto3 JSON both sides print must agree field by field (same names for the
/// same numbers, so two same-typed fields cannot be swapped).
/// </summary>
public class CrossCheckProtoTests
{
    [Fact]
    public async Task Every_message_round_trips_through_chain_sdk_codecs_with_the_same_field_names()
    {
        var messages = AllMessages().ToList();
        Assert.True(messages.Count > 100, $"only {messages.Count} messages found");
        var samples = messages.Select(d => (Descriptor: d, Message: Fill(d, depth: 0))).ToList();
        var reference = await NodeReference.RunAsync(
            "proto.cjs",
            samples.Select(s => new { type = s.Descriptor.FullName, hex = Convert.ToHexStringLower(s.Message.ToByteArray()) }).ToArray(),
            CancellationToken.None);

        var failures = new List<string>();
        var unknown = new List<string>();
        var formatter = new JsonFormatter(JsonFormatter.Settings.Default.WithFormatEnumsAsIntegers(false));
        for (var i = 0; i < samples.Count; i++)
        {
            var (descriptor, message) = samples[i];
            var r = reference[i];
            if (!r.GetProperty("known").GetBoolean())
            {
                unknown.Add(descriptor.FullName);
                continue;
            }

            var ours = Convert.ToHexStringLower(message.ToByteArray());
            var reencoded = r.GetProperty("reencodedHex").GetString()!;
            var back = descriptor.Parser.ParseFrom(Convert.FromHexString(reencoded));
            if (!back.Equals(message))
            {
                failures.Add($"{descriptor.FullName}: chain-sdk's round trip changes the message\n  ours:      {ours}\n  chain-sdk: {reencoded}");
                continue;
            }

            // Equal messages, different bytes: only allowed where chain-sdk writes a repeated enum unpacked
            // (Deposit.sources); proto3 packs it, as Go does, and every parser must read both forms.
            if (reencoded != ours && !HasRepeatedEnum(descriptor, 0))
            {
                failures.Add($"{descriptor.FullName}: same message, different bytes\n  ours:      {ours}\n  chain-sdk: {reencoded}");
                continue;
            }

            var theirs = r.GetProperty("json");
            var mine = JsonDocument.Parse(formatter.Format(message)).RootElement;
            var diff = FirstDifference(mine, theirs, descriptor.FullName);
            if (diff is not null)
            {
                failures.Add(diff);
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {samples.Count} messages disagree:\n" + string.Join("\n", failures));
        // Messages chain-sdk has no codec for: only our own trimmed helpers may be missing.
        Assert.True(unknown.Count == 0, "no chain-sdk codec for: " + string.Join(", ", unknown));
    }

    private static IEnumerable<MessageDescriptor> AllMessages()
    {
        var files = typeof(Flock.Akash.Chain.TypeUrls).Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith("Flock.Akash.Protos", StringComparison.Ordinal) == true && t.Name.EndsWith("Reflection", StringComparison.Ordinal))
            .Select(t => (FileDescriptor)t.GetProperty("Descriptor")!.GetValue(null)!);
        return files.SelectMany(f => Flatten(f.MessageTypes)).DistinctBy(d => d.FullName).OrderBy(d => d.FullName, StringComparer.Ordinal);

        static IEnumerable<MessageDescriptor> Flatten(IEnumerable<MessageDescriptor> ds) => ds.SelectMany(d => new[] { d }.Concat(Flatten(d.NestedTypes)));
    }

    // Distinct, valid values: numbers from the field number, decimal strings where the chain-sdk codec parses
    // amounts (LegacyDec / math.Int custom types), one entry per repeated field, first member of each oneof.
    private static IMessage Fill(MessageDescriptor descriptor, int depth)
    {
        var message = (IMessage)Activator.CreateInstance(descriptor.ClrType)!;
        if (depth > 4)
        {
            return message;
        }

        foreach (var field in descriptor.Fields.InFieldNumberOrder())
        {
            if (field.RealContainingOneof is { } oneof && oneof.Fields[0] != field)
            {
                continue;
            }

            var value = Value(field, depth);
            if (value is null)
            {
                continue;
            }

            if (field.IsRepeated)
            {
                var list = (IList)field.Accessor.GetValue(message);
                list.Add(value);
                if (field.FieldType is not (FieldType.Message or FieldType.Group))
                {
                    list.Add(value);
                }
            }
            else
            {
                field.Accessor.SetValue(message, value);
            }
        }

        return message;
    }

    private static object? Value(FieldDescriptor field, int depth)
    {
        var n = field.FieldNumber;
        return field.FieldType switch
        {
            FieldType.String when field.Name is "amount" => (n * 1_000_000_000_000_000_000m + 5).ToString(CultureInfo.InvariantCulture),
            FieldType.String => $"{field.Name}-{n}",
            FieldType.Bytes when field.Name is "val" => ByteString.CopyFromUtf8((n * 1000).ToString(CultureInfo.InvariantCulture)),
            FieldType.Bytes => ByteString.CopyFrom((byte)n, 0xfe),
            FieldType.Bool => true,
            FieldType.UInt32 or FieldType.Fixed32 => (uint)(n * 7 + 1),
            FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => n * 7 + 1,
            FieldType.UInt64 or FieldType.Fixed64 => (ulong)(n * 1_000_003 + 1),
            FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => (long)(n * 1_000_003 + 1),
            FieldType.Enum => field.EnumType.Values.Count > 1 ? field.EnumType.Values[1].Number : null,
            FieldType.Message when field.MessageType.FullName.StartsWith("google.protobuf.", StringComparison.Ordinal) => null,
            FieldType.Message => Fill(field.MessageType, depth + 1),
            _ => null,
        };
    }

    private static string? FirstDifference(JsonElement ours, JsonElement theirs, string path)
    {
        if (ours.ValueKind == JsonValueKind.Object && theirs.ValueKind == JsonValueKind.Object)
        {
            // chain-sdk prints proto field names (count_total), Google.Protobuf JSON names (countTotal): compare without case and underscores.
            var a = ours.EnumerateObject().ToDictionary(p => Key(p.Name), p => p.Value);
            var b = theirs.EnumerateObject().Where(p => !IsDefault(p.Value)).ToDictionary(p => Key(p.Name), p => p.Value);
            foreach (var name in a.Keys.Union(b.Keys))
            {
                if (!a.TryGetValue(name, out var x))
                {
                    return $"{path}.{name}: only chain-sdk has it";
                }

                if (!b.TryGetValue(name, out var y))
                {
                    return $"{path}.{name}: only ours has it";
                }

                if (FirstDifference(x, y, path + "." + name) is { } d)
                {
                    return d;
                }
            }

            return null;
        }

        if (ours.ValueKind == JsonValueKind.Array && theirs.ValueKind == JsonValueKind.Array)
        {
            if (ours.GetArrayLength() != theirs.GetArrayLength())
            {
                return $"{path}: array lengths differ";
            }

            for (var i = 0; i < ours.GetArrayLength(); i++)
            {
                if (FirstDifference(ours[i], theirs[i], $"{path}[{i}]") is { } d)
                {
                    return d;
                }
            }

            return null;
        }

        // Scalars: compare as text (numbers vs numeric strings and enum names print differently per library).
        var (l, r) = (Scalar(ours), Scalar(theirs));
        if (string.Equals(l, r, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        // LegacyDec (DecCoin, escrow balances): the wire integer is the decimal scaled by 10^18; chain-sdk prints the decimal.
        if (path.EndsWith(".amount", StringComparison.Ordinal) && l.All(char.IsAsciiDigit) && Flock.Akash.Chain.LegacyDec.FromWire(l) == (r.Contains('.', StringComparison.Ordinal) ? r.TrimEnd('0').TrimEnd('.') : r))
        {
            return null;
        }

        return $"{path}: ours {l}, chain-sdk {r}";
    }

    private static bool HasRepeatedEnum(MessageDescriptor d, int depth) =>
        depth < 6 && d.Fields.InFieldNumberOrder().Any(f =>
            (f.IsRepeated && f.FieldType == FieldType.Enum) ||
            (f.FieldType == FieldType.Message && !f.MessageType.FullName.StartsWith("google.protobuf.", StringComparison.Ordinal) && HasRepeatedEnum(f.MessageType, depth + 1)));

    private static string Key(string name) => name.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();

    private static bool IsDefault(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null => true,
        JsonValueKind.Array => e.GetArrayLength() == 0,
        JsonValueKind.String => e.GetString()!.Length == 0,
        JsonValueKind.False => true,
        JsonValueKind.Number => e.GetDecimal() == 0,
        _ => false,
    };

    private static string Scalar(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText();
}
