namespace LinkActors.Ppp.Framing;

/// <summary>Which vector instructions the HDLC encoder and decoder use for runs of ordinary data.</summary>
public enum HdlcVectorPath
{
    /// <summary>No vector hardware (or DOTNET_EnableHWIntrinsic=0): octet by octet and SearchValues.</summary>
    Scalar,

    /// <summary>16-octet vectors: AdvSimd on ARM64, SSE on x64 without AVX2.</summary>
    Vector128,

    /// <summary>32-octet AVX2 vectors.</summary>
    Avx2,

    /// <summary>AVX-512 VBMI/VBMI2 byte permutes and compress, with AVX2 for the rest.</summary>
    Avx512,
}
