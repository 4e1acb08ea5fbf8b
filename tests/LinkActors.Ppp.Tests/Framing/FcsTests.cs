using System.Buffers.Binary;
using System.Text;
using CsCheck;
using LinkActors.Ppp.Framing;

namespace LinkActors.Ppp.Tests.Framing;

public class FcsTests
{
    private static readonly byte[] CheckString = Encoding.ASCII.GetBytes("123456789");

    [Fact]
    public void Fcs16_Compute_CheckString_Is906E() => Assert.Equal(0x906E, Fcs16.Compute(CheckString));

    [Fact]
    public void Fcs32_Compute_CheckString_IsCbf43926() => Assert.Equal(0xCBF43926u, Fcs32.Compute(CheckString));

    [Fact]
    public void Fcs16_Compute_Empty_IsComplementOfInitial() => Assert.Equal(0x0000, Fcs16.Compute([]));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(9)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(1500)]
    public void Fcs16_UpdateOverFrameAndItsFcs_LeavesGoodResidue(int length)
    {
        var frame = new byte[length + 2];
        new Random(length).NextBytes(frame.AsSpan(0, length));
        // RFC 1662 §C.2: the complemented FCS goes least significant octet first.
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(length), Fcs16.Compute(frame.AsSpan(0, length)));

        Assert.Equal(Fcs16.GoodResidue, Fcs16.Update(Fcs16.Initial, frame));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    [InlineData(64)]
    [InlineData(1500)]
    public void Fcs32_UpdateOverFrameAndItsFcs_LeavesGoodResidue(int length)
    {
        var frame = new byte[length + 4];
        new Random(length).NextBytes(frame.AsSpan(0, length));
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(length), Fcs32.Compute(frame.AsSpan(0, length)));

        Assert.Equal(Fcs32.GoodResidue, Fcs32.Update(Fcs32.Initial, frame));
    }

    [Fact]
    public void Fcs16_Update_EveryLengthAndStartValue_MatchesBitwiseReference()
    {
        var data = new byte[700];
        new Random(16).NextBytes(data);
        foreach (ushort start in new ushort[] { 0xFFFF, 0x0000, 0x1234 })
        {
            for (int length = 0; length <= data.Length; length++)
            {
                var slice = data.AsSpan(length % 7, length - (length % 7));
                Assert.Equal(Reference.Fcs16(start, slice), Fcs16.Update(start, slice));
            }
        }
    }

    [Fact]
    public void Fcs32_Update_EveryLengthAndStartValue_MatchesBitwiseReference()
    {
        var data = new byte[700];
        new Random(32).NextBytes(data);
        foreach (uint start in new uint[] { 0xFFFFFFFF, 0x00000000, 0x89ABCDEF })
        {
            for (int length = 0; length <= data.Length; length++)
            {
                var slice = data.AsSpan(length % 7, length - (length % 7));
                Assert.Equal(Reference.Fcs32(start, slice), Fcs32.Update(start, slice));
            }
        }
    }

    [Fact]
    public void Fcs16_TablesAlone_MatchFolding()
    {
        var data = new byte[4096];
        new Random(7).NextBytes(data);
        Assert.Equal(Fcs16.UpdateWithoutFolding(0xFFFF, data), Fcs16.Update(0xFFFF, data));
        Assert.Equal(Fcs32.UpdateWithoutFolding(0xFFFFFFFF, data), Fcs32.Update(0xFFFFFFFF, data));
    }

    [Fact]
    public void Fcs_UpdateInPieces_EqualsUpdateInOneGo() =>
        Gen.Byte.Array[0, 3000].SelectMany(d => Gen.Int[0, d.Length].Select(cut => (d, cut))).Sample(t =>
        {
            var (data, cut) = t;
            Assert.Equal(
                Fcs16.Update(Fcs16.Initial, data),
                Fcs16.Update(Fcs16.Update(Fcs16.Initial, data.AsSpan(0, cut)), data.AsSpan(cut)));
            Assert.Equal(
                Fcs32.Update(Fcs32.Initial, data),
                Fcs32.Update(Fcs32.Update(Fcs32.Initial, data.AsSpan(0, cut)), data.AsSpan(cut)));
        }, iter: 300);
}
