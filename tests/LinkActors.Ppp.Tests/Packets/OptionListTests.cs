using LinkActors.Ppp.Packets;

namespace LinkActors.Ppp.Tests.Packets;

public class OptionListTests
{
    [Fact]
    public void TryParse_LengthZero_ReturnsFalse()
    {
        byte[] data =
        [
            0x01, 0x04, 0x05, 0xDC, // MRU 1500
            0x05, 0x00,             // Magic-Number claiming Length 0: would loop forever if believed
        ];
        Assert.False(OptionList.TryParse(data, out _));
    }

    [Fact]
    public void TryParse_LengthOne_ReturnsFalse()
    {
        byte[] data = [0x07, 0x01]; // PFC claiming Length 1, shorter than its own header
        Assert.False(OptionList.TryParse(data, out _));
    }

    [Fact]
    public void TryParse_LengthRunsPastEnd_ReturnsFalse()
    {
        byte[] data =
        [
            0x01, 0x04, 0x05, 0xDC, // MRU 1500
            0x05, 0x06, 0x12, 0x34, // Magic-Number claiming 6 octets, only 4 present
        ];
        Assert.False(OptionList.TryParse(data, out _));
    }

    [Fact]
    public void TryParse_LoneTypeOctet_ReturnsFalse()
    {
        byte[] data = [0x01, 0x04, 0x05, 0xDC, 0x07]; // MRU, then a Type with no Length
        Assert.False(OptionList.TryParse(data, out _));
    }

    [Fact]
    public void TryParse_Empty_ReturnsEmptyList()
    {
        Assert.True(OptionList.TryParse([], out var options));
        Assert.Empty(options);
    }

    [Fact]
    public void ParseThenSerialize_UnknownOptions_SurviveByteExact()
    {
        byte[] data =
        [
            0x01, 0x04, 0x05, 0xDC,                   // MRU 1500
            0x1F, 0x05, 0xAA, 0xBB, 0xCC,             // unassigned type 31, three octets
            0x13, 0x09, 0x03, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, // Endpoint-Discriminator, class MAC
            0xFE, 0x02,                               // unassigned type 254, no data
            0x00, 0x06, 0x00, 0x00, 0x5E, 0x01,       // Vendor-Specific with an OUI
        ];
        Assert.True(OptionList.TryParse(data, out var options));
        Assert.Equal(5, options.Count);
        Assert.Equal(new byte[] { 0xAA, 0xBB, 0xCC }, options[1].Data.ToArray());
        Assert.Equal(data, OptionList.Serialize(options));
    }

    [Fact]
    public void TryParse_OptionOfMaximumLength_Accepted()
    {
        var data = new byte[255];
        data[0] = 0x1F;
        data[1] = 0xFF; // Length 255: 253 octets of data
        Assert.True(OptionList.TryParse(data, out var options));
        Assert.Equal(253, Assert.Single(options).Data.Length);
        Assert.Equal(data, OptionList.Serialize(options));
    }
}
