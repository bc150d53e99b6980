using System.Runtime.InteropServices;
using System.Text;

namespace KvmPS.Engine.Native;

/// <summary>
/// virConnectOpenAuth's callback. A static unmanaged entry point (it cannot be collected while
/// libvirt holds it); the credential of one connect reaches it through a GCHandle in cbdata,
/// which lives exactly as long as the virConnectOpenAuth call. Answers follow
/// <see cref="CredentialPlan"/>; the password is copied into libvirt's malloc'd result, and the
/// unmanaged UTF-16 copy SecureString hands out is zeroed and freed before returning.
/// </summary>
internal sealed unsafe class AuthCallback
{
    private readonly ConnectCredential _credential;
    private int _secretsGiven;

    private AuthCallback(ConnectCredential credential) => _credential = credential;

    /// <summary>Runs virConnectOpenAuth with this callback; returns the connect pointer (zero on failure, error left for the caller).</summary>
    internal static IntPtr Open(string? name, ConnectCredential credential)
    {
        var state = new AuthCallback(credential);
        GCHandle gc = GCHandle.Alloc(state);
        int[] types = CredentialPlan.Offered.Select(t => (int)t).ToArray();
        try
        {
            fixed (int* t = types)
            {
                var auth = new Libvirt.VirConnectAuth
                {
                    CredType = t,
                    NCredType = (uint)types.Length,
                    Callback = &Answer,
                    CallbackData = GCHandle.ToIntPtr(gc),
                };
                return Libvirt.virConnectOpenAuth(name, &auth, 0);
            }
        }
        finally
        {
            gc.Free();
        }
    }

    [UnmanagedCallersOnly]
    private static int Answer(Libvirt.VirConnectCredential* creds, uint count, IntPtr data)
    {
        try
        {
            var self = (AuthCallback)GCHandle.FromIntPtr(data).Target!;
            return self.Fill(creds, (int)count);
        }
        catch (Exception)
        {
            // Nothing may unwind into libvirt: a failure is a refusal.
            return -1;
        }
    }

    private int Fill(Libvirt.VirConnectCredential* creds, int count)
    {
        var requests = new CredentialRequest[count];
        for (int i = 0; i < count; i++)
        {
            requests[i] = new CredentialRequest((CredentialType)creds[i].Type, Marshal.PtrToStringUTF8(creds[i].Prompt), creds[i].DefResult != IntPtr.Zero);
        }
        IReadOnlyList<CredentialAnswer>? answers = CredentialPlan.Decide(requests, _credential.UserName is not null, _credential.HasPassword, _secretsGiven);
        if (answers is null)
        {
            return -1;
        }
        bool gaveSecret = false;
        for (int i = 0; i < count; i++)
        {
            switch (answers[i])
            {
                case CredentialAnswer.UserName:
                    SetText(ref creds[i], _credential.UserName!);
                    break;
                case CredentialAnswer.Password:
                    SetPassword(ref creds[i]);
                    gaveSecret = true;
                    break;
                default:
                    SetText(ref creds[i], Marshal.PtrToStringUTF8(creds[i].DefResult) ?? "");
                    break;
            }
        }
        if (gaveSecret)
        {
            _secretsGiven++;
        }
        return 0;
    }

    private static void SetText(ref Libvirt.VirConnectCredential cred, string text)
    {
        int n = Encoding.UTF8.GetByteCount(text);
        byte* buffer = (byte*)NativeMemory.Alloc((nuint)n + 1);
        fixed (char* c = text)
        {
            Encoding.UTF8.GetBytes(c, text.Length, buffer, n);
        }
        buffer[n] = 0;
        cred.Result = (IntPtr)buffer;
        cred.ResultLen = (uint)n;
    }

    private void SetPassword(ref Libvirt.VirConnectCredential cred)
    {
        IntPtr utf16 = Marshal.SecureStringToGlobalAllocUnicode(_credential.Password!);
        try
        {
            int chars = _credential.Password!.Length;
            char* c = (char*)utf16;
            int n = Encoding.UTF8.GetByteCount(c, chars);
            byte* buffer = (byte*)NativeMemory.Alloc((nuint)n + 1);
            Encoding.UTF8.GetBytes(c, chars, buffer, n);
            buffer[n] = 0;
            cred.Result = (IntPtr)buffer;
            cred.ResultLen = (uint)n;
        }
        finally
        {
            Marshal.ZeroFreeGlobalAllocUnicode(utf16);
        }
    }
}
