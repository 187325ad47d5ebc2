// Emergency templates (bão, lũ, sạt lở, dịch bệnh, cháy rừng, and one the officer writes): a title and body in plain official Vietnamese
// with {placeholders} the officer fills, so a notice goes out in minutes, worded as a province would word it.
import { Emergency } from '../../main/core/protocol/manifest'
import { humanTextProblem, normaliseHumanText } from '../api/human-text'
import { badInput, EditorialError } from './errors'

export interface TemplateField {
  key: string
  vi: string
  en: string
  /** What an officer might type, shown greyed in the form. */
  example: string
  maxLength: number
}

export interface EmergencyTemplate {
  id: string
  vi: string
  en: string
  title: string
  body: string
  fields: readonly TemplateField[]
  /** What the form proposes as time to live; the officer may change it. */
  defaultTtlSec: number
}

const place: TemplateField = { key: 'dia_ban', vi: 'Địa bàn', en: 'Area', example: 'các xã ven sông Ba', maxLength: 200 }
const when: TemplateField = { key: 'thoi_gian', vi: 'Thời gian', en: 'Time', example: '14 giờ ngày 30/11', maxLength: 100 }
const phone: TemplateField = { key: 'dien_thoai', vi: 'Số điện thoại trực ban', en: 'Duty phone number', example: '0269 3822 113', maxLength: 40 }

export const EMERGENCY_TEMPLATES: readonly EmergencyTemplate[] = [
  {
    id: 'bao',
    vi: 'Bão',
    en: 'Storm',
    title: 'CẢNH BÁO BÃO {ten_bao}',
    body:
      'Bão {ten_bao} dự kiến ảnh hưởng trực tiếp đến {dia_ban} từ {thoi_gian}. ' +
      'Đề nghị Nhân dân chằng chống nhà cửa; không ra khơi, không ở lại nhà tạm, nhà yếu; ' +
      'di chuyển đến nơi trú ẩn an toàn khi có yêu cầu của chính quyền. Điện thoại trực ban: {dien_thoai}.',
    fields: [{ key: 'ten_bao', vi: 'Tên, số hiệu cơn bão', en: 'Storm name or number', example: 'số 3 (YAGI)', maxLength: 100 }, place, when, phone],
    defaultTtlSec: 24 * 3600
  },
  {
    id: 'lu',
    vi: 'Lũ, ngập lụt',
    en: 'Flood',
    title: 'CẢNH BÁO LŨ, NGẬP LỤT TẠI {dia_ban}',
    body:
      'Mực nước {song} đang lên nhanh, dự báo gây ngập sâu tại {dia_ban} từ {thoi_gian}. ' +
      'Đề nghị Nhân dân không qua ngầm tràn, cầu tràn, khu vực nước chảy xiết; ' +
      'khẩn trương đưa người, tài sản đến nơi cao ráo, an toàn. Điện thoại trực ban: {dien_thoai}.',
    fields: [{ key: 'song', vi: 'Sông, suối', en: 'River', example: 'sông Ba', maxLength: 100 }, place, when, phone],
    defaultTtlSec: 12 * 3600
  },
  {
    id: 'sat-lo',
    vi: 'Sạt lở đất, lũ quét',
    en: 'Landslide, flash flood',
    title: 'CẢNH BÁO SẠT LỞ ĐẤT, LŨ QUÉT TẠI {dia_ban}',
    body:
      'Do mưa lớn kéo dài, nguy cơ sạt lở đất, lũ quét rất cao tại {dia_ban} từ {thoi_gian}. ' +
      'Đề nghị các hộ dân sống ven sườn đồi, ven sông suối khẩn trương di chuyển đến nơi an toàn; ' +
      'không đi qua khu vực có vết nứt, sạt trượt. Điện thoại trực ban: {dien_thoai}.',
    fields: [place, when, phone],
    defaultTtlSec: 12 * 3600
  },
  {
    id: 'dich-benh',
    vi: 'Dịch bệnh',
    en: 'Epidemic',
    title: 'THÔNG BÁO KHẨN VỀ DỊCH {ten_dich}',
    body:
      'Ngày {thoi_gian}, ghi nhận ca bệnh {ten_dich} tại {dia_ban}. ' +
      'Đề nghị Nhân dân thực hiện các biện pháp phòng bệnh theo hướng dẫn của ngành y tế; ' +
      'khi có triệu chứng nghi mắc bệnh, liên hệ ngay trạm y tế gần nhất. Điện thoại: {dien_thoai}.',
    fields: [{ key: 'ten_dich', vi: 'Tên bệnh', en: 'Disease', example: 'sốt xuất huyết', maxLength: 100 }, place, when, phone],
    defaultTtlSec: 3 * 24 * 3600
  },
  {
    id: 'chay-rung',
    vi: 'Cháy rừng',
    en: 'Forest fire',
    title: 'CẢNH BÁO CHÁY RỪNG CẤP {cap} TẠI {dia_ban}',
    body:
      'Nguy cơ cháy rừng ở cấp {cap} tại {dia_ban} từ {thoi_gian}. ' +
      'Nghiêm cấm đốt nương rẫy, đốt thực bì, sử dụng lửa trong rừng và ven rừng. ' +
      'Khi phát hiện cháy, báo ngay Ban chỉ huy phòng cháy, chữa cháy rừng qua số {dien_thoai}.',
    fields: [{ key: 'cap', vi: 'Cấp dự báo cháy rừng', en: 'Fire danger level', example: 'IV', maxLength: 10 }, place, when, phone],
    defaultTtlSec: 24 * 3600
  },
  {
    // For what no template covers (a burst water main, a missing child): the officer writes title and text.
    id: 'tu-soan',
    vi: 'Tự soạn',
    en: 'Write my own',
    title: '{tieu_de}',
    body: '{noi_dung}',
    fields: [
      { key: 'tieu_de', vi: 'Tiêu đề', en: 'Title', example: 'THÔNG BÁO KHẨN: MẤT NƯỚC SINH HOẠT', maxLength: 100 },
      { key: 'noi_dung', vi: 'Nội dung', en: 'Text', example: 'Vỡ đường ống chính; nước được cấp lại từ 18 giờ hôm nay.', maxLength: 500 }
    ],
    defaultTtlSec: 6 * 3600
  }
]

export function findTemplate(id: string): EmergencyTemplate {
  const template = EMERGENCY_TEMPLATES.find((t) => t.id === id)
  if (!template) throw new EditorialError(404, 'template-unknown', 'templateId', `Không có mẫu bản tin khẩn cấp "${id}".`, `No emergency template "${id}".`)
  return template
}

/**
 * The template with every placeholder filled. Every field is required (a notice with a blank place or time
 * misleads); values are one line, braces are refused so a value cannot look like a placeholder.
 */
export function fillTemplate(template: EmergencyTemplate, values: Readonly<Record<string, unknown>>): { title: string; body: string; fields: Record<string, string> } {
  const fields: Record<string, string> = {}
  for (const field of template.fields) {
    const raw = values[field.key]
    // multiline: a line break is kept, so the check below refuses it rather than folding it away.
    const value = typeof raw === 'string' ? normaliseHumanText(raw, true) : ''
    const name = `fields.${field.key}`
    if (!value) throw badInput(name, `Chưa nhập "${field.vi}".`, `"${field.en}" is required.`)
    const problem = humanTextProblem(value, { vi: `"${field.vi}"`, en: `"${field.en}"` })
    if (problem) throw badInput(name, problem.vi, problem.en)
    if (value.length > field.maxLength) throw badInput(name, `"${field.vi}" dài quá ${field.maxLength} ký tự.`, `"${field.en}" is longer than ${field.maxLength} characters.`)
    if (/[{}\r\n]/.test(value)) throw badInput(name, `"${field.vi}" không được chứa dấu { } hoặc xuống dòng.`, `"${field.en}" may not contain { } or line breaks.`)
    fields[field.key] = value
  }
  const fill = (text: string) => text.replace(/\{([a-z_]+)\}/g, (_, key: string) => fields[key] ?? '')
  const title = fill(template.title)
  const body = fill(template.body)
  // What the boards would refuse is refused here, before anything is stored or sent.
  if (!Emergency.shape.title.safeParse(title).success) throw badInput('fields', 'Tiêu đề bản tin quá dài.', 'The notice title is too long.')
  return { title, body, fields }
}
