using LinkActors.Ppp.Trace;

namespace LinkActors.Ppp.Tests.Trace;

public class RecordWriterTests
{
    // 1600000000 = 0x5F5E1000, on a whole second so steps count from the start instant.
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_600_000_000);

    [Fact]
    public void Constructor_WritesStartTimeRecord()
    {
        var stream = new MemoryStream();
        using (new RecordWriter(stream, Start, leaveOpen: true))
        {
        }
        byte[] expected =
        [
            0x07,                   // start time
            0x5F, 0x5E, 0x10, 0x00, // time_t 1600000000, big-endian
        ];
        Assert.Equal(expected, stream.ToArray());
    }

    [Fact]
    public void WriteSentAndReceived_WriteTaggedRecordsWithTimeSteps()
    {
        var stream = new MemoryStream();
        using (var writer = new RecordWriter(stream, Start, leaveOpen: true))
        {
            writer.WriteSent([0x7E, 0xFF, 0x7E], Start);
            writer.WriteReceived([0xAA, 0xBB], Start.AddMilliseconds(250));
            writer.WriteSent([0x01], Start.AddSeconds(30));
            writer.WriteReceived([0x02], Start.AddSeconds(30.05));
        }
        byte[] expected =
        [
            0x07, 0x5F, 0x5E, 0x10, 0x00,     // start time
            0x01, 0x00, 0x03, 0x7E, 0xFF, 0x7E, // sent, 3 bytes, no step: same tenth as the start
            0x06, 0x02,                       // step 2 tenths (0.25 s, whole tenths)
            0x02, 0x00, 0x02, 0xAA, 0xBB,     // received, 2 bytes
            0x05, 0x00, 0x00, 0x01, 0x2A,     // step 298 tenths: over 255, so the 32-bit form
            0x01, 0x00, 0x01, 0x01,           // sent, 1 byte
            0x02, 0x00, 0x01, 0x02,           // received in the same tenth: no step
        ];
        Assert.Equal(expected, stream.ToArray());
    }

    [Fact]
    public void WriteSent_StartBetweenSeconds_StepsCountFromWholeSecond()
    {
        var stream = new MemoryStream();
        var start = Start.AddMilliseconds(750);
        using (var writer = new RecordWriter(stream, start, leaveOpen: true))
            writer.WriteSent([0x7E], start);
        byte[] expected =
        [
            0x07, 0x5F, 0x5E, 0x10, 0x00, // start time, whole second
            0x06, 0x07,                   // step 7 tenths: the sub-second part of the start
            0x01, 0x00, 0x01, 0x7E,       // sent
        ];
        Assert.Equal(expected, stream.ToArray());
    }

    [Fact]
    public void WriteReceived_TimeGoesBackwards_WritesNoStep()
    {
        var stream = new MemoryStream();
        using (var writer = new RecordWriter(stream, Start, leaveOpen: true))
        {
            writer.WriteReceived([0x01], Start.AddSeconds(1));
            writer.WriteReceived([0x02], Start.AddMilliseconds(500));
            writer.WriteReceived([0x03], Start.AddMilliseconds(1200));
        }
        byte[] expected =
        [
            0x07, 0x5F, 0x5E, 0x10, 0x00,
            0x06, 0x0A, 0x02, 0x00, 0x01, 0x01, // +1.0 s
            0x02, 0x00, 0x01, 0x02,             // earlier than the last: no step
            0x06, 0x02, 0x02, 0x00, 0x01, 0x03, // +0.2 s after the last written time
        ];
        Assert.Equal(expected, stream.ToArray());
    }

    [Fact]
    public void WriteSent_OverMaxChunk_SplitsIntoRecords()
    {
        var bytes = new byte[70_000];
        new Random(5).NextBytes(bytes);
        var stream = new MemoryStream();
        using (var writer = new RecordWriter(stream, Start, leaveOpen: true))
            writer.WriteSent(bytes, Start);

        var file = stream.ToArray();
        Assert.Equal(5 + 3 + 65_535 + 3 + 4_465, file.Length);
        Assert.Equal(new byte[] { 0x01, 0xFF, 0xFF }, file[5..8]);              // sent, 65535 bytes
        Assert.Equal(bytes[..65_535], file[8..(8 + 65_535)]);
        Assert.Equal(new byte[] { 0x01, 0x11, 0x71 }, file[65_543..65_546]);    // sent, 4465 bytes
        Assert.Equal(bytes[65_535..], file[65_546..]);
    }

    [Fact]
    public void WriteSent_Empty_WritesNothing()
    {
        var stream = new MemoryStream();
        using (var writer = new RecordWriter(stream, Start, leaveOpen: true))
            writer.WriteSent([], Start.AddSeconds(5));
        Assert.Equal(5, stream.Length);
    }

    [Fact]
    public void WriteEndMarkers_WriteTagsWithStep()
    {
        var stream = new MemoryStream();
        using (var writer = new RecordWriter(stream, Start, leaveOpen: true))
        {
            writer.WriteEndOfSent(Start.AddSeconds(0.1));
            writer.WriteEndOfReceived(Start.AddSeconds(0.1));
        }
        byte[] expected =
        [
            0x07, 0x5F, 0x5E, 0x10, 0x00,
            0x06, 0x01, 0x03, // step 1 tenth, end of send
            0x04,             // end of receive
        ];
        Assert.Equal(expected, stream.ToArray());
    }

    [Fact]
    public void Dispose_WithoutLeaveOpen_ClosesStreamAndRefusesWrites()
    {
        var stream = new MemoryStream();
        var writer = new RecordWriter(stream, Start);
        writer.Dispose();
        Assert.False(stream.CanWrite);
        Assert.Throws<ObjectDisposedException>(() => writer.WriteSent([0x01], Start));
        writer.Dispose();
    }

    [Fact]
    public void Dispose_WithLeaveOpen_KeepsStreamOpen()
    {
        var stream = new MemoryStream();
        new RecordWriter(stream, Start, leaveOpen: true).Dispose();
        Assert.True(stream.CanWrite);
    }

    [Fact]
    public void Constructor_StartBefore1970_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecordWriter(new MemoryStream(), DateTimeOffset.UnixEpoch.AddSeconds(-1)));
}
