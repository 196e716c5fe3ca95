using System.Text;

namespace Flock.Sandbox.ApiModel;

/// <summary>A minimal protobuf wire-format reader: (field number, wire type, value) triples.</summary>
internal ref struct ProtobufWire(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _pos;

    public bool End => _pos >= _data.Length;

    /// <summary>Reads the next tag; returns false at the end.</summary>
    public bool Next(out int field, out int wireType)
    {
        if (End)
        {
            field = 0;
            wireType = 0;
            return false;
        }

        var tag = ReadVarint();
        field = (int)(tag >> 3);
        wireType = (int)(tag & 7);
        return true;
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_pos >= _data.Length)
            {
                throw new FormatException("truncated protobuf varint");
            }

            var b = _data[_pos++];
            result |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new FormatException("protobuf varint too long");
    }

    public ReadOnlySpan<byte> ReadBytes()
    {
        var length = checked((int)ReadVarint());
        if (length < 0 || _pos + length > _data.Length)
        {
            throw new FormatException("truncated protobuf field");
        }

        var bytes = _data.Slice(_pos, length);
        _pos += length;
        return bytes;
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadBytes());

    /// <summary>Skips a field of the given wire type.</summary>
    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0:
                ReadVarint();
                break;
            case 1:
                _pos += 8;
                break;
            case 2:
                ReadBytes();
                break;
            case 5:
                _pos += 4;
                break;
            default:
                throw new FormatException($"unsupported protobuf wire type {wireType}");
        }

        if (_pos > _data.Length)
        {
            throw new FormatException("truncated protobuf field");
        }
    }
}
