"""Thai words and phrases that are hard to get back out of a PDF: each must copy out of every
viewer exactly as typed, in regular and in bold. Grouped by what makes them hard."""

# SARA AM (ำ): shaped as NIKHAHIT + SARA AA, the NIKHAHIT moved before any tone mark.
SARA_AM = [
    "น้ำ", "ค่ำ", "ซ้ำ", "ต่ำ", "ล้ำ", "ย้ำ", "ช้ำ", "คว่ำ", "ฉ่ำ", "ร่ำรวย", "ค้ำประกัน", "กล้ำกลืน", "ขยำ", "ทำ", "จำ",
    "ดำเนินการ", "กำกับติดตาม", "คำสั่ง", "ประจำปีงบประมาณ", "อำนวยการ", "สำนักงานตำรวจแห่งชาติ", "กระทำ", "ต่ำกว่า",
    "น้ำดื่ม", "น้ำใจ", "สำเร็จ", "ข้าวต้มน้ำปลา", "ป่ำ", "ฟ้ำ", "ปั๊มน้ำมัน",
]
# Tone marks stacked over upper vowels, over the tall ป ฝ ฟ, and the small ones (ไม้ตรี, จัตวา).
STACKED = [
    "ที่", "นี่", "ซื้อ", "ชื่อ", "พี่", "ปี่", "ปั้น", "ฟื้นฟู", "ฝั่ง", "จ๊ะ", "ก๋วยเตี๋ยว", "เกี๊ยว", "โต๊ะ", "ตั๋ว",
    "เสื้อ", "เครื่อง", "เรื่อง", "เมื่อ", "เพื่อ", "ป่าไม้", "ป้าย", "ฝ้าย", "ฟ้า", "ฝ่าย", "ปิ้ง", "สั้น", "ฟั่น", "ทั้งนี้",
    "เก้าอี้", "ผู้ใหญ่", "ปื้น", "ฝื่น",
]
# Lower vowels and the letters whose tails they meet (ญ ฐ lose theirs; ฎ ฏ ฤ ฦ keep theirs).
LOWER = [
    "ปู่", "ญี่ปุ่น", "กตัญญู", "ฎีกา", "ปฏิบัติ", "ฐานะ", "ฐิติ", "ฤดู", "ฤๅษี", "ฦๅ", "ตู้", "รู้", "ครุฑ", "บุญ", "คุ้ม",
    "ปุ๋ย", "พระพุทธรูป", "ญาติ", "ฎุ", "ฏุ", "ฐุ", "ญุ", "ทุ่ง", "สู้",
]
# Marks without a vowel: thanthakhat, mai taikhu, phinthu, a bare NIKHAHIT (Pali), yamakkan.
OTHER_MARKS = [
    "จันทร์", "ศุกร์", "พระลักษณ์", "สัตว์", "ศาสตร์", "เด็ก", "เป็น", "เก็บ", "ก็", "พุทฺธํ สรณํ คจฺฉามิ", "อรหํ",
    "ฯลฯ", "ฯพณฯ", "ไปๆ มาๆ", "๏ ถึงวันนั้น ๚ะ", "ฃวด ฅน", "ฤๅ", "ก์", "ป์", "ฟ์",
]
# Thai digits, amounts, dates and the mixed Thai and Latin of official documents.
MIXED = [
    "๐๑๒๓๔๕๖๗๘๙", "พ.ศ. ๒๕๖๗", "๑๒,๕๐๐,๐๐๐.๐๐ บาท", "O๒๔ และ O๒๕", "ปีงบประมาณ พ.ศ. 2567", "ต.ค.66 - มี.ค.67",
    "1,000,000.00 บาท", "12,500,000.00", "ITA 2567", "OIT ข้อ O7", "EIT/IIT", "สน.บึงกุ่ม (Bueng Kum)", "e-Service",
    "No Gift Policy", "www.police.go.th", "saraban@police.go.th", "โทร. 0-2123-4567", "TM.30 / TM.47", "e-VOA",
    "สขร.๑", "ตม.จว.บึงกาฬ", "ราคา ฿ 500", "๑ มีนาคม ๒๕๖๗", "One Stop Service", "QR Code",
]
# Names and titles as units write them.
NAMES = [
    "พ.ต.ท.หญิง กิติโฉม ศรีพัฒนานนท์", "ว่าที่ พ.ต.อ.จตุพร เนวะมาตย์", "ร.ต.อ.เกรียงไกร หวนไธสง", "ด.ต.ชาติชาย เจียมประเสริฐ",
    "พ.ต.อ.อิทธิวัฒน์ นุชถาวร ผกก.", "ผู้บังคับการ", "ผู้ประกอบการ", "ผู้ชนะการเสนอราคา", "ห้างหุ้นส่วนจำกัด ธาราทิพย์",
    "การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ",
]

CORPUS = SARA_AM + STACKED + LOWER + OTHER_MARKS + MIXED + NAMES
