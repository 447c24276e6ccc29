import { describe, expect, it } from "vitest";
import { parseRole, parseStatus } from "./roles.js";

describe("roles and statuses as typed in spreadsheets", () => {
  it("accepts roles with or without accents, in any case, and codes", () => {
    expect(parseRole("Bí thư")).toBe("bi_thu");
    expect(parseRole("bi thu")).toBe("bi_thu");
    expect(parseRole("PHÓ BÍ THƯ")).toBe("pho_bi_thu");
    expect(parseRole("pho bi thu")).toBe("pho_bi_thu");
    expect(parseRole("pho_bi_thu")).toBe("pho_bi_thu");
    expect(parseRole("Cấp ủy viên")).toBe("cap_uy_vien");
    expect(parseRole("Đảng viên")).toBe("dang_vien");
    expect(parseRole("quan tri")).toBe("quan_tri");
    expect(parseRole("Chủ tịch")).toBeUndefined();
  });
  it("accepts statuses with or without accents", () => {
    expect(parseStatus("Chính thức")).toBe("chinh_thuc");
    expect(parseStatus("du bi")).toBe("du_bi");
    expect(parseStatus("tạm hoãn")).toBeUndefined();
  });
});
