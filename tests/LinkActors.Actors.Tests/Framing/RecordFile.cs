using System.Buffers.Binary;

namespace LinkActors.Actors.Tests.Framing;

/// <summary>Reads a pppd record file back, as pppdump does: tagged records, time in tenths.</summary>
internal sealed class RecordFile
{
    public List<byte> Tags { get; } = [];

    public List<byte> Sent { get; } = [];

    public List<byte> Received { get; } = [];

    public List<uint> StartTimes { get; } = [];

    public long TenthsStepped { get; private set; }

    public static RecordFile Read(byte[] file)
    {
        var record = new RecordFile();
        var i = 0;
        while (i < file.Length)
        {
            var tag = file[i++];
            record.Tags.Add(tag);
            switch (tag)
            {
                case 0x01 or 0x02:
                    var length = BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(i));
                    i += 2;
                    (tag == 0x01 ? record.Sent : record.Received).AddRange(file.AsSpan(i, length).ToArray());
                    i += length;
                    break;
                case 0x03 or 0x04:
                    break;
                case 0x05:
                    record.TenthsStepped += BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(i));
                    i += 4;
                    break;
                case 0x06:
                    record.TenthsStepped += file[i++];
                    break;
                case 0x07:
                    record.StartTimes.Add(BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(i)));
                    i += 4;
                    break;
                default:
                    throw new InvalidDataException($"unknown record tag 0x{tag:x2} at offset {i - 1}");
            }
        }

        return record;
    }
}
