import json,subprocess
# python3 gen.py DESCRIPTIONS.jsonl CAPTIONS.jsonl: three captions per description, styles rotating.
import sys
BIN='build/release/src/app/reelgen'
styles=['casual','playful','professional','promotional','storytelling','inspirational','educational','luxury','call_to_action']
out=open(sys.argv[2],'w')
n=0
for i,l in enumerate(open(sys.argv[1])):
    d=json.loads(l)
    for k in range(3):
        st=styles[(i*3+k)%len(styles)]
        j=json.loads(subprocess.run([BIN,'caption',d['description'],'--language',d['lang'],'--style',st,'--json'],capture_output=True,text=True).stdout)
        n+=1
        out.write(json.dumps({'n':n,'id':d['id'],'lang':d['lang'],'style':st,'description':d['description'],'caption':j['caption'],'hashtags':j['hashtags'],'emojis':j['emojis']},ensure_ascii=False)+'\n')
print(n)
